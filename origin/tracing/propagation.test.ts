// One trace from the issuer's request to the webhook receiver: a batch request with a traceparent
// and an x-request-id → the batch.issue job carries the request span's context → the consumer's
// span is its child, and the webhook messages it sends carry the consumer's span → the
// batch.completed delivery has a traceparent of the same trace and the request id. Every log line
// on the way carries the trace id and the request id.
import { reset } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import { parseTraceparent } from "../../shared/observability/trace-context.ts";
import { database } from "../db/client.ts";
import type { Job, TracedMessage } from "../queues/jobs.ts";
import { createEndpoint } from "../services/webhooks/endpoints.ts";
import { call, deliver, newIssuer, testEnv } from "../test/queue-fixtures.ts";
import { consume, drainWebhooks, hookUrl, received, script, webhookEnv } from "../test/webhooks.ts";
import { createLogger } from "../../shared/observability/logger.ts";
import type { WebhookMessage } from "../queues/webhooks.ts";
import { sweepWebhookDeliveries } from "../services/webhooks/sweep.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

type Line = Record<string, unknown> & { operation?: string; requestId?: string; traceId?: string; spanId?: string };

function captureLogs(): Line[] {
  const lines: Line[] = [];
  const keep = (line: unknown) => {
    if (typeof line !== "string" || !line.startsWith("{")) return;
    lines.push(JSON.parse(line) as Line);
  };
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  return lines;
}

async function acceptBatch(headers: Record<string, string>, hookName?: string) {
  const { org, achievement } = await newIssuer();
  if (hookName) await createEndpoint(database(testEnv()), testEnv().KEY_ENCRYPTION_SECRET, org.id, { url: hookUrl(hookName), events: ["batch.completed"] });
  const e = { ...testEnv(), ALLOW_LOCAL_HTTP_TARGETS: "true", WEBHOOKS: webhookEnv().WEBHOOKS };
  const res = await call(e, "/v1/credentials/batch", {
    method: "POST",
    apiKey: org.apiKey,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), ...headers },
    body: JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "Ada", email: "ada@example.org" }, { name: "Grace", email: "grace@example.org" }] }),
  });
  expect(res.status).toBe(202);
  const jobs = (e.JOBS.take() as (Job & TracedMessage)[]).filter((j) => j.type === "batch.issue");
  expect(jobs).toHaveLength(1);
  return { e, job: jobs[0]!, requestId: res.headers.get("x-request-id")! };
}

it("the caller's trace and request id reach the batch job, its consumer, the webhook messages and the delivery", async () => {
  const lines = captureLogs();
  const hook = `trace-${crypto.randomUUID()}`;
  const requestId = `req-${crypto.randomUUID()}`;
  const { e, job } = await acceptBatch({ traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, "x-request-id": requestId }, hook);

  // The request's span is a child of the caller's, and the job names the request's span as its parent.
  const requestLine = lines.find((l) => l.message === "request" && l.requestId === requestId)!;
  expect(requestLine).toMatchObject({ traceId: TRACE });
  expect(requestLine.spanId).not.toBe(CALLER_SPAN);
  expect(job.requestId).toBe(requestId);
  expect(parseTraceparent(job.trace?.traceparent)).toEqual({ traceId: TRACE, spanId: requestLine.spanId, sampled: true });

  expect((await deliver(e, [job])).retryMessages).toEqual([]);
  const jobLines = lines.filter((l) => l.operation === "job.batch.issue");
  expect(jobLines.length).toBeGreaterThan(0);
  for (const line of jobLines) expect(line).toMatchObject({ requestId, traceId: TRACE });
  const consumerSpan = jobLines[0]!.spanId;
  expect(consumerSpan).not.toBe(requestLine.spanId);

  // The consumer's webhook message is the consumer span's child; the delivery carries the trace on.
  const due = e.WEBHOOKS.sent.map((m) => m.body as typeof m.body & TracedMessage);
  expect(due).toHaveLength(1);
  expect(parseTraceparent(due[0]!.trace?.traceparent)).toMatchObject({ traceId: TRACE, spanId: consumerSpan });
  await drainWebhooks(e);
  const [delivery, ...more] = await received(hook);
  expect(more).toEqual([]);
  expect(delivery!.headers["laurel-request-id"]).toBe(requestId);
  const sent = parseTraceparent(delivery!.headers.traceparent);
  expect(sent).toMatchObject({ traceId: TRACE, sampled: true });
  for (const line of lines.filter((l) => l.operation === "webhook.due" || l.operation === "webhook.deliver")) {
    expect(line).toMatchObject({ requestId, traceId: TRACE });
    expect(line.spanId).not.toBe(sent!.spanId); // the attempt is its own (client) span under the message's
  }
  expect(lines.some((l) => l.operation === "webhook.deliver" && l.message === "webhook delivered")).toBe(true);
});

it("a malformed traceparent is ignored: the request starts a new trace, which its job carries", async () => {
  const lines = captureLogs();
  const { job, requestId } = await acceptBatch({ traceparent: `01-${TRACE}-${CALLER_SPAN}-01` });
  const carried = parseTraceparent(job.trace?.traceparent);
  expect(carried).not.toBeNull();
  expect(carried!.traceId).not.toBe(TRACE);
  expect(requestId).not.toBe(TRACE);
  expect(lines.find((l) => l.message === "request" && l.requestId === requestId)).toMatchObject({ traceId: carried!.traceId });
});

it("a job sent before tracing (no trace field) runs in a new trace, its lines still carry both ids", async () => {
  const lines = captureLogs();
  const { e, job } = await acceptBatch({});
  const { trace: _dropped, ...untraced } = job;
  expect((await deliver(e, [untraced as Job])).retryMessages).toEqual([]);
  const jobLines = lines.filter((l) => l.operation === "job.batch.issue");
  expect(jobLines.length).toBeGreaterThan(0);
  for (const line of jobLines) {
    expect(line.requestId).toBe(job.requestId);
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(line.traceId).not.toBe(parseTraceparent(job.trace?.traceparent)!.traceId);
  }
});

it("a delivery sent by the sweep (its kick lost) continues the trace of the request that recorded the event, with its request id", async () => {
  const lines = captureLogs();
  const hook = `swept-${crypto.randomUUID()}`;
  const requestId = `req-${crypto.randomUUID()}`;
  const { e, job } = await acceptBatch({ traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, "x-request-id": requestId }, hook);
  expect((await deliver(e, [job])).retryMessages).toEqual([]);
  expect(e.WEBHOOKS.take()).toHaveLength(1); // the kick (webhook.due), lost

  const later = Date.now() + 2 * 60_000; // past the sweep's grace
  const sweepLog = createLogger({ service: "origin", requestId: "cron-sweep", operation: "cron.sweep" });
  // The sweep looks at every org's deliveries (other test files share the database): find ours.
  expect(await sweepWebhookDeliveries(e, sweepLog, later)).toBeGreaterThanOrEqual(1);
  const swept = e.WEBHOOKS.take().map((m) => m.body as WebhookMessage & TracedMessage).filter((m) => m.requestId === requestId);
  expect(swept).toHaveLength(1);
  expect(swept[0]).toMatchObject({ type: "webhook.deliver" });
  expect(parseTraceparent(swept[0]!.trace?.traceparent)?.traceId).toBe(TRACE);

  await consume(e, swept, { now: later });
  const [delivery] = await received(hook);
  expect(delivery!.headers["laurel-request-id"]).toBe(requestId);
  expect(parseTraceparent(delivery!.headers.traceparent)?.traceId).toBe(TRACE);
  const delivered = lines.find((l) => l.operation === "webhook.deliver" && l.message === "webhook delivered");
  expect(delivered).toMatchObject({ requestId, traceId: TRACE });
});

it("an attempt continues its event's trace even when a message of another trace runs it, and its retry carries that trace", async () => {
  const lines = captureLogs();
  const hook = `lane-${crypto.randomUUID()}`;
  await script(hook, [{ status: 503 }]);
  const requestId = `req-${crypto.randomUUID()}`;
  const { e, job } = await acceptBatch({ traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, "x-request-id": requestId }, hook);
  expect((await deliver(e, [job])).retryMessages).toEqual([]);
  const [due] = e.WEBHOOKS.take();
  // The delivery is run by a message of an unrelated trace (e.g. a lane of another event's request).
  const ids = await consume(e, [{ ...(due!.body as WebhookMessage), requestId: "someone-else", trace: { traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01` } } as WebhookMessage]);
  const deliverMsg = ids.find((m) => m.body.type === "webhook.deliver")!;
  const retries = await consume(e, [deliverMsg.body]);
  const [first] = await received(hook);
  expect(parseTraceparent(first!.headers.traceparent)?.traceId).toBe(TRACE);
  expect(first!.headers["laurel-request-id"]).toBe(requestId);
  const failed = lines.find((l) => l.message === "webhook attempt failed");
  expect(failed).toMatchObject({ requestId, traceId: TRACE });
  const [retry] = retries.map((m) => m.body as WebhookMessage & TracedMessage);
  expect(retry).toMatchObject({ type: "webhook.deliver", requestId });
  expect(parseTraceparent(retry!.trace?.traceparent)?.traceId).toBe(TRACE);
});
