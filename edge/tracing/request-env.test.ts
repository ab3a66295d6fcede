// The edge's part of one trace: a request's traceparent and request id reach the origin with every
// RPC call it makes (the call's own span, a child of the request's), and its log line names them.
import { afterEach, expect, it, vi } from "vitest";
import { parseTraceparent } from "../../shared/observability/trace-context.ts";
import { call, origin } from "../test/fixtures.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await origin.testReset();
});

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const CALLER_SPAN = "b7ad6b7169203331";

function requestLine(spy: { mock: { calls: unknown[][] } }, requestId: string): Record<string, unknown> | undefined {
  for (const [line] of spy.mock.calls) {
    if (typeof line !== "string" || !line.startsWith("{")) continue;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (parsed.message === "request" && parsed.requestId === requestId) return parsed;
  }
  return undefined;
}

async function callsFor(id: string) {
  return (await origin.testCalls()).filter((c) => c.key === id);
}

it("a read-through to the origin carries the caller's trace and request id, as a child of the edge request's span", async () => {
  const spy = vi.spyOn(console, "log");
  const id = crypto.randomUUID();
  const requestId = `edge-trace-${crypto.randomUUID()}`;
  const res = await call(`/api/v1/verify/${id}`, { headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, "x-request-id": requestId } });
  expect(res.status).toBe(404);
  const [rpc, ...more] = await callsFor(id);
  expect(more).toEqual([]);
  expect(rpc).toMatchObject({ method: "credentialProjection", caller: { requestId } });
  const passed = parseTraceparent(rpc!.caller!.traceparent);
  expect(passed).toMatchObject({ traceId: TRACE, sampled: true });
  const line = requestLine(spy, requestId);
  expect(line).toMatchObject({ traceId: TRACE });
  // Its own span: neither the caller's nor the edge request's.
  expect(passed!.spanId).not.toBe(CALLER_SPAN);
  expect(passed!.spanId).not.toBe(line!.spanId);
});

it("a request without traceparent starts a trace at the edge, and the origin call continues it", async () => {
  const spy = vi.spyOn(console, "log");
  const id = crypto.randomUUID();
  const res = await call(`/api/v1/verify/${id}`);
  expect(res.status).toBe(404);
  const requestId = res.headers.get("x-request-id")!;
  const [rpc] = await callsFor(id);
  expect(rpc?.caller?.requestId).toBe(requestId);
  const line = requestLine(spy, requestId);
  expect(line?.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(parseTraceparent(rpc!.caller!.traceparent)?.traceId).toBe(line!.traceId);
});

it("a malformed traceparent is not passed on: the origin call carries the edge's new trace", async () => {
  const id = crypto.randomUUID();
  await call(`/api/v1/verify/${id}`, { headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01-extra` } });
  const [rpc] = await callsFor(id);
  const passed = parseTraceparent(rpc!.caller!.traceparent);
  expect(passed).not.toBeNull();
  expect(passed!.traceId).not.toBe(TRACE);
});
