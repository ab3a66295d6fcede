// The tracing done-when on the real stack: one request id and traceparent given on
// POST /v1/credentials/batch appear in the origin's request line and the batch consumer's lines,
// reach the batch.completed delivery (laurel-request-id, traceparent of the same trace), and the
// local OTLP receiver holds the spans of every hop in that one trace, which /ops/traces shows.
// And an edge request that reaches the origin over RPC is one trace across both Workers.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWebhookReceiver } from "../origin/test/webhook-receiver.ts";
import { parseTraceparent } from "../shared/observability/trace-context.ts";
import { createAchievement, createOrg } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack(), startWebhookReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await stack?.dispose();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 90_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

it("one request id and trace follow a batch from the API through its consumer to the batch.completed delivery", async () => {
  const org = await createOrg(stack, "Trace University", `tr-${Date.now().toString(36)}`);
  const achievement = await createAchievement(stack, org.apiKey, { name: "Traced", description: "Followed end to end.", criteria: { narrative: "Be traced." } });
  const hook = await fetch(`${stack.originUrl}/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ url: `${receiver.url}/hook/traced`, events: ["batch.completed"] }),
  });
  expect(hook.status).toBe(201);

  const requestId = `e2e-${crypto.randomUUID()}`;
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const accepted = await fetch(`${stack.originUrl}/v1/credentials/batch`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${org.apiKey}`,
      "content-type": "application/json",
      "idempotency-key": crypto.randomUUID(),
      "x-request-id": requestId,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    },
    body: JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "Ada Lovelace", email: "ada@example.edu" }, { name: "Alan Turing", email: "alan@example.edu" }] }),
  });
  expect(accepted.status).toBe(202);
  expect(accepted.headers.get("x-request-id")).toBe(requestId);

  // The delivery carries the request id and a traceparent of the caller's trace.
  const [delivery] = await until("the batch.completed delivery", async () => {
    const got = (await (await fetch(`${receiver.url}/_received/traced`)).json()) as { headers: Record<string, string>; body: string }[];
    return got.length > 0 ? got : undefined;
  });
  expect(JSON.parse(delivery!.body)).toMatchObject({ type: "batch.completed" });
  expect(delivery!.headers["laurel-request-id"]).toBe(requestId);
  expect(parseTraceparent(delivery!.headers.traceparent)?.traceId).toBe(traceId);

  // grep: the origin's request line and the batch consumer's lines carry both ids.
  const mine = () => stack.lines.filter((l) => l.requestId === requestId);
  await until("the consumer's and the delivery's log lines", async () =>
    mine().some((l) => l.operation === "job.batch.issue") && mine().some((l) => l.message === "webhook delivered") ? true : undefined,
  );
  expect(mine().find((l) => l.message === "request" && l.route === "/v1/credentials/batch")).toMatchObject({ traceId });
  for (const line of mine().filter((l) => String(l.operation).startsWith("job.") || String(l.operation).startsWith("webhook."))) expect(line.traceId).toBe(traceId);

  // The receiver holds the spans of every hop, in the one trace: the origin request, the batch
  // consumer (its child), the webhook messages and the delivery's outgoing call.
  const secrets = JSON.parse(fs.readFileSync(path.join(stack.dataDir, "secrets.json"), "utf8")) as { otlpReceiverToken: string };
  const spans = await until("the spans of every hop", async () => {
    const res = await fetch(`${stack.otlpReceiverUrl}/v1/spans?traceId=${traceId}`, { headers: { authorization: `Bearer ${secrets.otlpReceiverToken}` } });
    const found = ((await res.json()) as { spans: Span[] }).spans;
    const has = (pred: (s: Span) => boolean) => found.some(pred);
    return has((s) => s.kind === 2 && s.attributes["laurel.request_id"] === requestId) &&
      has((s) => s.name.endsWith("job batch.issue")) &&
      has((s) => s.name.endsWith("webhook.deliver")) &&
      has((s) => s.kind === 3 && s.name.startsWith("POST 127.0.0.1"))
      ? found
      : undefined;
  });
  const server = spans.find((s) => s.kind === 2 && s.attributes["laurel.request_id"] === requestId)!;
  expect(server.parentSpanId).toBe("00f067aa0ba902b7");
  expect(spans.find((s) => s.name.endsWith("job batch.issue"))).toMatchObject({ parentSpanId: server.spanId, attributes: expect.objectContaining({ "laurel.request_id": requestId, "laurel.job_type": "job batch.issue" }) });
  const client = spans.find((s) => s.kind === 3 && s.name.startsWith("POST 127.0.0.1"))!;
  expect(parseTraceparent(delivery!.headers.traceparent)?.spanId).toBe(client.spanId);

  // /ops/traces shows it (operators only).
  expect((await fetch(`${stack.originUrl}/ops/traces?requestId=${requestId}`)).status).toBe(401);
  const page = await fetch(`${stack.originUrl}/ops/traces?requestId=${requestId}`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
  expect(page.status).toBe(200);
  expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  const text = await page.text();
  expect(text).toContain(`Trace ${traceId}`);
  expect(text).toContain("job batch.issue");
}, 240_000);

it("an edge request with a traceparent that reaches the origin over RPC is one trace: the edge's spans and the origin's", async () => {
  const secrets = JSON.parse(fs.readFileSync(path.join(stack.dataDir, "secrets.json"), "utf8")) as { otlpReceiverToken: string };
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const requestId = `e2e-edge-${crypto.randomUUID()}`;
  // An id KV has never seen: the edge asks the origin (EdgeApi credentialProjection), which answers null.
  const res = await fetch(`${stack.edgeUrl}/api/v1/verify/${crypto.randomUUID()}`, {
    headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, "x-request-id": requestId },
  });
  expect(res.status).toBe(404);
  await res.arrayBuffer();

  const spans = await until("the edge's and the origin's spans", async () => {
    const found = (
      (await (await fetch(`${stack.otlpReceiverUrl}/v1/spans?traceId=${traceId}`, { headers: { authorization: `Bearer ${secrets.otlpReceiverToken}` } })).json()) as { spans: Span[] }
    ).spans;
    const edgeServer = found.find((s) => s.service === "laurel-edge" && s.kind === 2);
    const rpcClient = found.find((s) => s.service === "laurel-edge" && s.kind === 3 && s.name === "EdgeApi credentialProjection");
    const rpcServer = found.find((s) => s.service === "laurel-origin" && s.name === "EdgeApi credentialProjection");
    return edgeServer && rpcClient && rpcServer ? { edgeServer, rpcClient, rpcServer } : undefined;
  }, 30_000);
  expect(spans.edgeServer).toMatchObject({ parentSpanId: "b7ad6b7169203331", attributes: expect.objectContaining({ "laurel.request_id": requestId }) });
  expect(spans.rpcClient.parentSpanId).toBe(spans.edgeServer.spanId);
  expect(spans.rpcServer).toMatchObject({ kind: 2, parentSpanId: spans.rpcClient.spanId, attributes: expect.objectContaining({ "laurel.request_id": requestId }) });
  // grep: the origin's rpc line carries the edge's request id and trace id.
  await until("the origin's rpc line", async () => (stack.lines.some((l) => l.requestId === requestId && l.operation === "rpc.credentialProjection") ? true : undefined), 30_000);
  expect(stack.lines.find((l) => l.requestId === requestId && l.operation === "rpc.credentialProjection")).toMatchObject({ traceId, service: "origin" });

  const page = await fetch(`${stack.originUrl}/ops/traces?traceId=${traceId}`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
  expect(page.status).toBe(200);
  const text = await page.text();
  expect(text).toContain(`Trace ${traceId}`);
  expect(text).toContain("EdgeApi credentialProjection");
  expect(text).toContain("laurel-edge");
}, 60_000);
