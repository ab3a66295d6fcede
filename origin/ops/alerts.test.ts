// SLO alerts end to end inside workerd: points recorded through the real recorder into a real
// aggregator object (one of the test's own, so other tests' traffic does not count), evaluated on a
// fixed clock; transitions delivered signed to the scriptable receiver through the guarded fetch;
// the backlog alert against the real database behind the stalling proxy.
import { afterEach, describe, expect, inject, it } from "vitest";
import { metricsAggregator, type MetricsAggregatorRpc } from "../../shared/observability/aggregator-rpc.ts";
import { createLogger } from "../../shared/observability/logger.ts";
import { MetricsRecorder, type RecordingIo } from "../../shared/observability/metrics-recorder.ts";
import type { OriginEnv } from "../env.ts";
import { newWebhookSecret } from "../services/webhooks/secrets.ts";
import { testEnv } from "../test/api.ts";
import { hookUrl, received, script } from "../test/webhooks.ts";
import { ALERT_RULES, BURN_WINDOWS, type AlertRule } from "./alert-rules.ts";
import type { AlertEvent } from "./alert-state.ts";
import { sendAlertEvent } from "./alert-webhook.ts";
import { evaluateAlerts } from "./alerts.ts";
import { readQueueFigures, type QueueFigures } from "./queue-figures.ts";

const MINUTE = 60_000;
const log = createLogger({ service: "origin", operation: "alerts-test" });
const ownAggregator = (): MetricsAggregatorRpc => metricsAggregator({ idFromName: () => testEnv.METRICS!.idFromName(`alerts-test-${crypto.randomUUID()}`), get: (id) => testEnv.METRICS!.get(id) });

const proxyUrl = inject("stallingLibsqlUrl");
const control = (action: "stall" | "resume") => fetch(`${proxyUrl}/__${action}`, { method: "POST" });
afterEach(async () => {
  await control("resume");
});

/** Checks a Standard Webhooks signature independently of the sender's code. */
async function verifySignature(secret: string, headers: Record<string, string>, body: string): Promise<boolean> {
  const raw = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`);
  for (const entry of (headers["webhook-signature"] ?? "").split(" ")) {
    const [version, mac] = entry.split(",");
    if (version === "v1" && mac && (await crypto.subtle.verify("HMAC", key, Uint8Array.from(atob(mac), (c) => c.charCodeAt(0)), signed))) return true;
  }
  return false;
}

function alertEnv(name: string): Pick<OriginEnv, "ALERT_WEBHOOK_URL" | "ALERT_WEBHOOK_SECRET" | "ALLOW_LOCAL_HTTP_TARGETS"> {
  return { ALERT_WEBHOOK_URL: hookUrl(name), ALERT_WEBHOOK_SECRET: newWebhookSecret(), ALLOW_LOCAL_HTTP_TARGETS: "true" };
}

async function record(aggregator: MetricsAggregatorRpc, at: number, ok: number, failed: number): Promise<void> {
  const isolate = new MetricsRecorder("origin");
  const noIo = {} as RecordingIo;
  for (let i = 0; i < ok; i++) isolate.record({ kind: "request", group: "/v1/credentials", status: 201, durationMs: 20, at }, noIo);
  for (let i = 0; i < failed; i++) isolate.record({ kind: "request", group: "/v1/credentials", status: 500, durationMs: 20, at }, noIo);
  expect(await isolate.flush(aggregator)).toBe(true);
}

const availability: AlertRule[] = [{ id: "origin-availability", kind: "error-ratio", service: "origin", objective: 0.999, windows: BURN_WINDOWS, summary: "test" }];
const emptyBacklog = () => readQueueFigures(testEnv);

describe("SLO alerts", () => {
  it("an error burst fires the error-ratio alert within the fast window, it resolves after, and the webhook receives both, signed", async () => {
    const aggregator = ownAggregator();
    const env = alertEnv(`alerts-burst-${crypto.randomUUID()}`);
    const name = env.ALERT_WEBHOOK_URL!.split("/").pop()!;
    const t0 = Date.now();
    const evaluate = (now: number) => evaluateAlerts({ aggregator, log, rules: availability, now, readBacklog: emptyBacklog, send: (e) => sendAlertEvent(env, e, now) });

    await record(aggregator, t0 - 2 * MINUTE, 200, 0);
    expect((await evaluate(t0)).firing).toEqual([]);

    // 10% errors: a burn rate of 100 over both the 5 m and the 1 h windows (threshold 14.4).
    await record(aggregator, t0, 90, 10);
    const burst = await evaluate(t0);
    expect(burst.firing.map((a) => [a.ruleId, a.severity])).toEqual([["origin-availability", "page"]]);
    expect(burst.transitions.map((e) => e.type)).toEqual(["alert.firing"]);
    expect(burst.firing[0]!.observed.burnRates![0]).toMatchObject({ longMinutes: 60, shortMinutes: 5, threshold: 14.4 });
    expect(burst.firing[0]!.observed.burnRates![0]!.short).toBeGreaterThan(14.4);

    // Still burning a minute later: no new transition.
    expect((await evaluate(t0 + MINUTE)).transitions).toEqual([]);

    // Six minutes on, the fast pair's short window is clean, but the slow pair (30 m/6 h at 6x)
    // still sees the burst: it keeps firing (the ticket pair), as the workbook's rules do.
    await record(aggregator, t0 + 6 * MINUTE, 500, 0);
    expect((await evaluate(t0 + 6 * MINUTE)).firing.map((a) => a.ruleId)).toEqual(["origin-availability"]);
    // Once both short windows hold only good traffic, the alert resolves.
    await record(aggregator, t0 + 31 * MINUTE, 500, 0);
    const after = await evaluate(t0 + 31 * MINUTE);
    expect(after.firing).toEqual([]);
    expect(after.transitions.map((e) => [e.type, e.data.ruleId])).toEqual([["alert.resolved", "origin-availability"]]);

    const got = await received(name);
    expect(got.map((r) => (JSON.parse(r.body) as AlertEvent).type)).toEqual(["alert.firing", "alert.resolved"]);
    for (const r of got) expect(await verifySignature(env.ALERT_WEBHOOK_SECRET!, r.headers, r.body)).toBe(true);
    const resolved = JSON.parse(got[1]!.body) as AlertEvent;
    expect(resolved.data).toMatchObject({ ruleId: "origin-availability", severity: "page", status: "resolved" });
    expect(Date.parse(resolved.data.resolvedAt!)).toBe(t0 + 31 * MINUTE);
    expect(Date.parse(resolved.data.startedAt)).toBe(t0);
    expect(resolved.data.windows).toEqual([
      { longMinutes: 60, shortMinutes: 5, burnRate: 14.4 },
      { longMinutes: 360, shortMinutes: 30, burnRate: 6 },
    ]);
  });

  it("a paused database fires the backlog alert and clears it once the database answers; a refused delivery is retried", async () => {
    const aggregator = ownAggregator();
    const env = alertEnv(`alerts-backlog-${crypto.randomUUID()}`);
    const name = env.ALERT_WEBHOOK_URL!.split("/").pop()!;
    // The receiver refuses the first attempt: the event is kept and sent again by the next run.
    await script(name, [{ status: 500 }]);
    const stalled: OriginEnv = { ...testEnv, LIBSQL_URL: proxyUrl, LIBSQL_TIMEOUT_MS: "1500" };
    // An age limit no leftover of another test file reaches (they share this database, and some
    // date their rows back on purpose): here the rule fires only because the database is unreadable.
    const rules: AlertRule[] = [{ id: "queue-backlog", kind: "backlog", maxAgeSeconds: 100 * 365 * 86_400, severity: "page", summary: "test backlog" }];
    const evaluate = () => evaluateAlerts({ aggregator, log, rules, readBacklog: () => readQueueFigures(stalled), send: (e) => sendAlertEvent(env, e) });

    expect((await evaluate()).firing).toEqual([]);
    await control("stall");
    const paused = await evaluate();
    expect(paused.firing.map((a) => a.ruleId)).toEqual(["queue-backlog"]);
    expect(paused.firing[0]!.observed.unreadable).toBeTruthy();
    expect(paused).toMatchObject({ delivered: 0, undelivered: 1 });

    await control("resume");
    // Resumed: the proxy first delivers what it held, so give the read the default deadline's room.
    stalled.LIBSQL_TIMEOUT_MS = "10000";
    const back = await evaluate();
    expect(back.firing).toEqual([]);
    expect(back.transitions.map((e) => e.type)).toEqual(["alert.resolved"]);
    expect(back).toMatchObject({ delivered: 2, undelivered: 0 });

    const got = await received(name);
    // The refused attempt, its retry, then the resolution.
    expect(got.map((r) => (JSON.parse(r.body) as AlertEvent).type)).toEqual(["alert.firing", "alert.firing", "alert.resolved"]);
    expect(got[0]!.headers["webhook-id"]).toBe(got[1]!.headers["webhook-id"]);
    for (const r of got) expect(await verifySignature(env.ALERT_WEBHOOK_SECRET!, r.headers, r.body)).toBe(true);
  }, 30_000);
});

describe("backlog rules scoped to queues", () => {
  it("old batch proofs open the proofs ticket but not the backlog page; an unreadable database pages once", async () => {
    const [queueBacklog, proofsBacklog] = ["queue-backlog", "proofs-backlog"].map((id) => ALERT_RULES.find((r) => r.id === id)!);
    const figures = await readQueueFigures(testEnv);
    const proofsTwoHoursOld: QueueFigures = {
      ...figures,
      queues: figures.queues.map((q) => (q.queue === "laurel-proofs" ? { ...q, backlog: 10, oldestAgeSeconds: 7200 } : { ...q, oldestAgeSeconds: 0 })),
    };
    const run = (readBacklog: () => Promise<QueueFigures>) =>
      evaluateAlerts({ aggregator: ownAggregator(), log, rules: [queueBacklog!, proofsBacklog!], readBacklog, send: async () => ({ ok: true }) });
    const old = await run(async () => proofsTwoHoursOld);
    expect(old.firing.map((a) => [a.ruleId, a.severity])).toEqual([["proofs-backlog", "ticket"]]);
    const down = await run(() => Promise.reject(new Error("the database did not answer")));
    expect(down.firing.map((a) => a.ruleId)).toEqual(["queue-backlog"]);
  });
});
