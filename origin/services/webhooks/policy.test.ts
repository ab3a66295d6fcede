// The delivery policy against a real receiver: 410 disables the endpoint, the disable threshold,
// Retry-After, dead-lettering after the last attempt, redirects not followed, the per-endpoint
// in-flight limit (a slow receiver does not hold up another endpoint), and the schedule itself.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { call, makeOrg } from "../../test/api.ts";
import { consume, createHook, deliveryIds, drainWebhooks, received, script, webhookEnv } from "../../test/webhooks.ts";
import { attemptDelivery } from "./deliver.ts";
import { DISABLE_AFTER_CONSECUTIVE_FAILURES, DISABLE_AFTER_FAILING_FOR_MS, MAX_ATTEMPTS, MAX_IN_FLIGHT_PER_ENDPOINT, retryDelayMs, RETRY_SCHEDULE_SECONDS } from "./policy.ts";

afterEach(() => reset());

type Endpoint = { enabled: boolean; disabledReason: string | null; consecutiveFailures: number };
type Deliveries = { data: { state: string; attempts: { statusCode: number | null; error: string | null; nextAttemptAt: string | null; attemptedAt: string }[] }[] };

async function setup(events = ["key.rotated"]) {
  const e = webhookEnv();
  const org = await makeOrg("whp");
  const name = `p-${crypto.randomUUID()}`;
  const hook = await createHook(e, org, name, events);
  const sendTest = async () => {
    const res = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: org.apiKey }, e);
    return ((await res.json()) as { deliveryId: string }).deliveryId;
  };
  const endpoint = async () => (await (await call(`/v1/webhooks/${hook.id}`, { token: org.apiKey }, e)).json()) as Endpoint;
  const deliveries = async (query = "") => (await (await call(`/v1/webhooks/${hook.id}/deliveries${query}`, { token: org.apiKey }, e)).json()) as Deliveries;
  return { e, org, name, hook, sendTest, endpoint, deliveries };
}

describe("retry schedule", () => {
  it("starts within seconds, backs off to a day with ±20 % jitter, then stops", () => {
    expect(RETRY_SCHEDULE_SECONDS).toEqual([5, 30, 120, 600, 3600, 21600, 86400]);
    expect(retryDelayMs(1, null, () => 0)).toBe(4000);
    expect(retryDelayMs(1, null, () => 1)).toBe(6000);
    expect(retryDelayMs(7, null, () => 0.5)).toBe(86_400_000);
    expect(retryDelayMs(MAX_ATTEMPTS, null)).toBeNull();
    expect(retryDelayMs(1, 120, () => 0.5)).toBe(120_000); // Retry-After later than the schedule wins
  });
});

it("410 Gone dead-letters the delivery and disables the endpoint, saying why; re-enabling resumes", async () => {
  const { e, name, hook, org, sendTest, endpoint, deliveries } = await setup();
  await script(name, [{ status: 410 }]);
  await sendTest();
  await drainWebhooks(e);
  expect(await endpoint()).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("410") });
  expect((await deliveries()).data[0]).toMatchObject({ state: "dead", attempts: [{ statusCode: 410 }] });
  // Disabled: a new test event waits, nothing is sent.
  await sendTest();
  await drainWebhooks(e);
  expect(await received(name)).toHaveLength(1);
  const patch = await call(`/v1/webhooks/${hook.id}`, { method: "PATCH", token: org.apiKey, json: { enabled: true } }, e);
  expect(await patch.json()).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
  await drainWebhooks(e);
  expect(await received(name)).toHaveLength(2);
});

it(`disables an endpoint after ${DISABLE_AFTER_CONSECUTIVE_FAILURES} failed attempts in a row over a day, not after a short outage`, async () => {
  const { e, name, sendTest, endpoint } = await setup();
  const n = DISABLE_AFTER_CONSECUTIVE_FAILURES;
  const day = DISABLE_AFTER_FAILING_FOR_MS;
  const fail = { status: 500 };
  await script(name, [...Array.from({ length: n }, () => fail), { status: 200 }, ...Array.from({ length: n + 1 }, () => fail)]);
  const ids: string[] = [];
  for (let i = 0; i < 2 * n + 2; i++) ids.push(await sendTest());
  const start = Date.now();
  // A busy endpoint's blip: n failures within moments leave it enabled.
  for (let i = 0; i < n; i++) await attemptDelivery(e, ids[i]!, { now: start + i });
  expect(await endpoint()).toMatchObject({ enabled: true, consecutiveFailures: n });
  // A success ends the run; the next run is counted from its own first failure.
  await attemptDelivery(e, ids[n]!, { now: start + 1000 });
  expect(await endpoint()).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  for (let i = 0; i < n; i++) await attemptDelivery(e, ids[n + 1 + i]!, { now: start + day + i });
  expect(await endpoint()).toMatchObject({ enabled: true, consecutiveFailures: n });
  // Still failing a day after that run began: disabled, saying why.
  await attemptDelivery(e, ids[2 * n + 1]!, { now: start + 2 * day });
  expect(await endpoint()).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/failed attempts in a row over 24 hours.*HTTP 500/) });
}, 60_000); // 62 deliveries through the API: a generous deadline for a busy machine

it("a success resets the failure count; Retry-After postpones the retry; a redirect is a failure", async () => {
  const { e, name, sendTest, endpoint, deliveries } = await setup();
  await script(name, [{ status: 503, headers: { "retry-after": "7200" } }, { status: 302, headers: { location: "https://example.com/" } }]);
  const first = await sendTest();
  const now = Date.now();
  expect(await attemptDelivery(e, first, { now })).toMatchObject({ kind: "retry", statusCode: 503, nextAttemptAt: now + 7_200_000 });
  const second = await sendTest();
  expect(await attemptDelivery(e, second)).toMatchObject({ kind: "retry", statusCode: 302, error: expect.stringContaining("redirects are not followed") });
  expect((await endpoint()).consecutiveFailures).toBe(2);
  expect(await attemptDelivery(e, first, { now: now + 3_600_000 })).toEqual({ kind: "skipped" }); // not due yet
  expect(await attemptDelivery(e, first, { now: now + 7_200_000 })).toMatchObject({ kind: "delivered", statusCode: 200 });
  expect((await endpoint()).consecutiveFailures).toBe(0);
  const list = await deliveries();
  expect(list.data.map((d) => d.state).sort()).toEqual(["delivered", "pending"]);
});

it(`dead-letters a delivery after ${MAX_ATTEMPTS} failed attempts, visible in the list`, async () => {
  const { e, name, sendTest, deliveries } = await setup();
  await script(name, Array.from({ length: MAX_ATTEMPTS }, () => ({ status: 500 })));
  const id = await sendTest();
  let now = Date.now();
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const outcome = await attemptDelivery(e, id, { now });
    expect(outcome.kind).toBe(i < MAX_ATTEMPTS - 1 ? "retry" : "dead");
    now += 2 * 86_400_000;
  }
  expect(await attemptDelivery(e, id, { now })).toEqual({ kind: "skipped" });
  expect((await deliveries("?state=pending")).data).toEqual([]);
  const [delivery] = (await deliveries("?state=dead")).data;
  expect(delivery).toMatchObject({ state: "dead" });
  expect(delivery!.attempts).toHaveLength(MAX_ATTEMPTS);
  expect(delivery!.attempts.at(-1)).toMatchObject({ nextAttemptAt: null, error: expect.stringContaining(`last of ${MAX_ATTEMPTS} attempts`) });
  expect(await received(name)).toHaveLength(MAX_ATTEMPTS);
});

it(`keeps at most ${MAX_IN_FLIGHT_PER_ENDPOINT} attempts in flight per endpoint, without holding up another endpoint`, async () => {
  const slow = await setup();
  const fast = await setup();
  await script(slow.name, Array.from({ length: MAX_IN_FLIGHT_PER_ENDPOINT + 1 }, () => ({ status: 200, delayMs: 1500 })));
  const ids: string[] = [];
  for (let i = 0; i <= MAX_IN_FLIGHT_PER_ENDPOINT; i++) ids.push(await slow.sendTest());
  const fastId = await fast.sendTest();
  const slowRuns = ids.map((id) => attemptDelivery(slow.e, id));
  const fastOutcome = await attemptDelivery(fast.e, fastId);
  const outcomes = await Promise.all(slowRuns);
  expect(fastOutcome).toMatchObject({ kind: "delivered" });
  expect(outcomes.filter((o) => o.kind === "delivered")).toHaveLength(MAX_IN_FLIGHT_PER_ENDPOINT);
  expect(outcomes.filter((o) => o.kind === "busy")).toHaveLength(1);
  // The deferred one goes once a slot is free.
  const deferred = ids[outcomes.findIndex((o) => o.kind === "busy")]!;
  expect(await attemptDelivery(slow.e, deferred)).toMatchObject({ kind: "delivered" });
  expect(await deliveryIds(slow.hook.id)).toHaveLength(MAX_IN_FLIGHT_PER_ENDPOINT + 1);
});

it("one webhook.due starts at most 4 lanes per endpoint, and the lanes work through the whole backlog", async () => {
  const { e, org, name, sendTest } = await setup();
  for (let i = 0; i < 10; i++) await sendTest();
  e.WEBHOOKS.take(); // the test route's own messages are dropped: the lanes must find the deliveries
  const lanes = await consume(e, [{ type: "webhook.due", orgId: org.id, requestId: "test" }]);
  expect(lanes).toHaveLength(MAX_IN_FLIGHT_PER_ENDPOINT);
  const after = await consume(e, lanes.map((m) => m.body));
  expect(after).toEqual([]); // no retries, nothing re-sent
  expect(await received(name)).toHaveLength(10);
});
