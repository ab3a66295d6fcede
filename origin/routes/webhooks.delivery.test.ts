// Webhook delivery end to end inside workerd: events recorded by issuance, revocation and key
// rotation reach a real (Node) receiver through the real consumer, signed per Standard Webhooks
// (checked with the independent `standardwebhooks` implementation); retries keep the webhook-id;
// the deliveries list shows every attempt; replay and the test event resend.
import { reset } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { call, countRows, credentialBody, makeAchievement, makeOrg } from "../test/api.ts";
import { createHook, deliveryIds, drainWebhooks, hookUrl, received, script, webhookEnv } from "../test/webhooks.ts";

afterEach(() => reset());

const HOUR = 3_600_000;

interface Payload {
  id: string;
  type: string;
  timestamp: string;
  requestId: string | null;
  data: Record<string, unknown>;
}

describe("credential.issued delivery", () => {
  it("signs per Standard Webhooks, retries 500, 500 then 200 with one webhook-id, lists all three attempts, and replays", async () => {
    const e = webhookEnv();
    const org = await makeOrg("wh");
    const achievement = await makeAchievement(org);
    const name = `issued-${crypto.randomUUID()}`;
    const hook = await createHook(e, org, name, ["credential.issued"]);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await script(name, [{ status: 500 }, { status: 500 }]);

    const email = "private.person@example.edu";
    const res = await call(
      "/v1/credentials",
      { method: "POST", token: org.apiKey, json: credentialBody(achievement.id, email), headers: { "idempotency-key": crypto.randomUUID() } },
      e,
    );
    expect(res.status).toBe(201);
    const credential = (await res.json()) as { id: string; verifyUrl: string };
    const requestId = res.headers.get("x-request-id");

    // The issuance request sent the fast-path message; the consumer finds the delivery and attempts it.
    await drainWebhooks(e); // attempt 1 (500) on the real clock
    await drainWebhooks(e, Date.now() + HOUR); // the retries, on a clock past their due times: 500, then 200
    const got = await received(name);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);

    const verifier = new Webhook(hook.secret);
    for (const r of got) {
      const payload = verifier.verify(r.body, r.headers) as Payload;
      expect(payload).toMatchObject({ type: "credential.issued", id: r.headers["webhook-id"], requestId });
      expect(payload.data).toEqual({ credentialId: credential.id, achievementId: achievement.id, verifyUrl: credential.verifyUrl, batchId: null, issuedAt: expect.any(String) });
      expect(r.body).not.toContain(email);
    }
    // A wrong secret does not verify: the check above can fail.
    expect(() => new Webhook(`whsec_${btoa("x".repeat(32))}`).verify(got[0]!.body, got[0]!.headers)).toThrow();

    const list = await call(`/v1/webhooks/${hook.id}/deliveries`, { token: org.apiKey }, e);
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: { id: string; eventId: string; state: string; attempts: { statusCode: number; error: string | null; nextAttemptAt: string | null; durationMs: number }[] }[] };
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ eventId: got[0]!.headers["webhook-id"], state: "delivered" });
    expect(data[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(data[0]!.attempts[0]).toMatchObject({ error: "HTTP 500", nextAttemptAt: expect.any(String) });
    expect(data[0]!.attempts[2]).toMatchObject({ error: null, nextAttemptAt: null });

    const replay = await call(`/v1/webhooks/${hook.id}/deliveries/${data[0]!.id}/replay`, { method: "POST", token: org.apiKey }, e);
    expect(replay.status).toBe(202);
    await drainWebhooks(e);
    const after = await received(name);
    expect(after).toHaveLength(4);
    expect(after[3]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
  });

  it("goes only to enabled endpoints subscribed to the type", async () => {
    const e = webhookEnv();
    const org = await makeOrg("wh");
    const achievement = await makeAchievement(org);
    const subscribed = await createHook(e, org, `sub-${crypto.randomUUID()}`, ["credential.issued"]);
    const other = await createHook(e, org, `other-${crypto.randomUUID()}`, ["credential.revoked"]);
    const disabled = await createHook(e, org, `off-${crypto.randomUUID()}`, ["credential.issued"]);
    await call(`/v1/webhooks/${disabled.id}`, { method: "PATCH", token: org.apiKey, json: { enabled: false } }, e);
    const res = await call("/v1/credentials", { method: "POST", token: org.apiKey, json: credentialBody(achievement.id), headers: { "idempotency-key": crypto.randomUUID() } }, e);
    expect(res.status).toBe(201);
    expect(await deliveryIds(subscribed.id)).toHaveLength(1);
    expect(await deliveryIds(other.id)).toHaveLength(0);
    expect(await deliveryIds(disabled.id)).toHaveLength(0);
  });
});

describe("other events", () => {
  it("credential.revoked is recorded once however often the revocation is repeated; key.rotated names the new key", async () => {
    const e = webhookEnv();
    const org = await makeOrg("wh");
    const achievement = await makeAchievement(org);
    const name = `rev-${crypto.randomUUID()}`;
    const hook = await createHook(e, org, name, ["credential.revoked", "key.rotated"]);
    const issued = await call("/v1/credentials", { method: "POST", token: org.apiKey, json: credentialBody(achievement.id), headers: { "idempotency-key": crypto.randomUUID() } }, e);
    const { id } = (await issued.json()) as { id: string };
    for (let i = 0; i < 2; i++) {
      const revoked = await call(`/v1/credentials/${id}/revoke`, { method: "POST", token: org.apiKey, json: { reason: "Issued in error" } }, e);
      expect(revoked.status).toBe(200);
    }
    expect(await countRows("webhook_events", "org_id = ? AND type = 'credential.revoked'", [org.id])).toBe(1);
    const rotated = await call("/v1/keys/rotate", { method: "POST", token: org.apiKey }, e);
    expect(rotated.status).toBe(201);
    const { kid } = (await rotated.json()) as { kid: string };
    await drainWebhooks(e);
    const payloads = (await received(name)).map((r) => new Webhook(hook.secret).verify(r.body, r.headers) as Payload);
    expect(payloads.map((p) => p.type).sort()).toEqual(["credential.revoked", "key.rotated"]);
    expect(payloads.find((p) => p.type === "credential.revoked")!.data).toMatchObject({ credentialId: id, reason: "Issued in error" });
    expect(payloads.find((p) => p.type === "key.rotated")!.data).toMatchObject({ keyId: kid });
  });

  it("POST /test sends a signed webhook.test to that endpoint, subscribed to it or not", async () => {
    const e = webhookEnv();
    const org = await makeOrg("wh");
    const name = `test-${crypto.randomUUID()}`;
    const hook = await createHook(e, org, name, ["batch.completed"]);
    const res = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: org.apiKey }, e);
    expect(res.status).toBe(202);
    await drainWebhooks(e);
    const [got] = await received(name);
    const payload = new Webhook(hook.secret).verify(got!.body, got!.headers) as Payload;
    expect(payload).toMatchObject({ type: "webhook.test", data: { endpointId: hook.id } });
  });
});

describe("secret rotation", () => {
  it("sends both signatures for the grace period: each secret verifies on its own", async () => {
    const e = webhookEnv();
    const org = await makeOrg("wh");
    const name = `rot-${crypto.randomUUID()}`;
    const hook = await createHook(e, org, name, ["key.rotated"]);
    const res = await call(`/v1/webhooks/${hook.id}/rotate-secret`, { method: "POST", token: org.apiKey }, e);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * HOUR);
    await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: org.apiKey }, e);
    await drainWebhooks(e);
    const [got] = await received(name);
    expect(got!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(rotated.secret).verify(got!.body, got!.headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(hook.secret).verify(got!.body, got!.headers)).toMatchObject({ type: "webhook.test" });
  });
});

it("the receiver URL is checked again at delivery: a target the rules refuse now is a failed attempt, no request", async () => {
  const e = webhookEnv();
  const org = await makeOrg("wh");
  const name = `ssrf-${crypto.randomUUID()}`;
  const hook = await createHook(e, org, name, ["key.rotated"]);
  await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: org.apiKey }, e);
  await drainWebhooks({ ...e, ALLOW_LOCAL_HTTP_TARGETS: "false" });
  expect(await received(name)).toHaveLength(0);
  const list = (await (await call(`/v1/webhooks/${hook.id}/deliveries`, { token: org.apiKey }, e)).json()) as { data: { attempts: { error: string }[] }[] };
  expect(list.data[0]!.attempts[0]!.error).toMatch(/^refused: /);
  expect(hookUrl(name)).toContain("127.0.0.1");
});

it("records no event for an org without an endpoint subscribed to its type", async () => {
  const e = webhookEnv();
  const org = await makeOrg("wh");
  const achievement = await makeAchievement(org);
  await createHook(e, org, `none-${crypto.randomUUID()}`, ["credential.revoked"]);
  const res = await call("/v1/credentials", { method: "POST", token: org.apiKey, json: credentialBody(achievement.id), headers: { "idempotency-key": crypto.randomUUID() } }, e);
  expect(res.status).toBe(201);
  expect(await countRows("webhook_events", "org_id = ?", [org.id])).toBe(0);
});
