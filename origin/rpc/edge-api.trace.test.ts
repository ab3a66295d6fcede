// The origin's part of an edge trace: an EdgeApi call given the edge's RpcCaller runs in a span of
// the edge's trace and logs the edge's request id; a malformed caller context is ignored.
import { reset } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import { newIssuer, originEnv } from "../test/queue-fixtures.ts";
import { EdgeApi } from "./edge-api.ts";
import { testContext } from "../test/execution-context.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const EDGE_SPAN = "b7ad6b7169203331";
const api = () => new EdgeApi(testContext(), originEnv);

function rpcLines(operation: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const keep = (line: unknown) => {
    if (typeof line !== "string" || !line.startsWith("{")) return;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (parsed.operation === `rpc.${operation}`) lines.push(parsed);
  };
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  return lines;
}

it("an EdgeApi call continues the edge's trace and logs its request id", async () => {
  const lines = rpcLines("issuerProjection");
  const { org } = await newIssuer();
  const requestId = `edge-${crypto.randomUUID()}`;
  const projection = await api().issuerProjection(org.slug, { traceparent: `00-${TRACE}-${EDGE_SPAN}-01`, requestId });
  expect(projection?.slug).toBe(org.slug);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ message: "rpc", requestId, traceId: TRACE, found: true });
  expect(lines[0]!.spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(lines[0]!.spanId).not.toBe(EDGE_SPAN); // its own span, the edge's child
});

it("without a caller, or with a malformed one, the call runs in a new trace and logs no foreign id", async () => {
  const lines = rpcLines("statusListProjection");
  await api().statusListProjection(crypto.randomUUID());
  await api().statusListProjection(crypto.randomUUID(), { traceparent: `00-${TRACE}-${EDGE_SPAN}-01-extra`, requestId: "bad id\nwith a newline" });
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(line.traceId).not.toBe(TRACE);
    expect(line).not.toHaveProperty("requestId");
  }
  expect(lines[0]!.traceId).not.toBe(lines[1]!.traceId);
});
