// The webhook endpoint API's rules: receiver URLs refused by the outbound rules at creation and
// change (422 naming `url`), validation naming the field, scope `manage`, another org's ids → 404,
// and the secret shown only at creation and rotation.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { call, makeOrg, problem, type TestOrg } from "../test/api.ts";
import { createHook, webhookEnv } from "../test/webhooks.ts";

afterEach(() => reset());

const strict = { ALLOW_LOCAL_HTTP_TARGETS: "false" };

async function keyWith(org: TestOrg, scopes: string[]): Promise<string> {
  const res = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json: { name: "limited", scopes } });
  return ((await res.json()) as { apiKey: string }).apiKey;
}

describe("receiver URLs", () => {
  it.each(["http://10.0.0.1/x", "https://169.254.169.254/", "https://[::ffff:127.0.0.1]/", "https://localhost/", "http://127.0.0.1:9999/hook"])(
    "refuses %s at creation with 422 URL_NOT_ALLOWED naming url",
    async (url) => {
      const org = await makeOrg("whs");
      const res = await call("/v1/webhooks", { method: "POST", token: org.apiKey, json: { url, events: ["credential.issued"] } }, strict);
      expect(res.status).toBe(422);
      const body = await problem(res);
      expect(body.code).toBe("URL_NOT_ALLOWED");
      expect(body.errors).toEqual([expect.objectContaining({ field: "url", rule: "public_https_url" })]);
      const list = await call("/v1/webhooks", { token: org.apiKey }, strict);
      expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    },
  );

  it("accepts a public https name, and refuses a private one on PATCH", async () => {
    const org = await makeOrg("whs");
    const res = await call("/v1/webhooks", { method: "POST", token: org.apiKey, json: { url: "https://hooks.example.com/laurel", events: ["batch.completed"], description: "ERP" } }, strict);
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: string; url: string; secret: string; enabled: boolean };
    expect(made).toMatchObject({ url: "https://hooks.example.com/laurel", enabled: true, secret: expect.stringMatching(/^whsec_/) });
    const patch = await call(`/v1/webhooks/${made.id}`, { method: "PATCH", token: org.apiKey, json: { url: "https://192.168.1.10/hook" } }, strict);
    expect(patch.status).toBe(422);
    expect((await problem(patch)).errors?.[0]?.field).toBe("url");
    const got = await call(`/v1/webhooks/${made.id}`, { token: org.apiKey }, strict);
    const shown = (await got.json()) as Record<string, unknown>;
    expect(shown.url).toBe("https://hooks.example.com/laurel");
    expect(JSON.stringify(shown)).not.toContain(made.secret);
  });
});

it("names the field and rule of a bad body", async () => {
  const org = await makeOrg("whs");
  const res = await call("/v1/webhooks", { method: "POST", token: org.apiKey, json: { url: "https://hooks.example.com/x", events: ["credential.exploded"] } }, strict);
  expect(res.status).toBe(400);
  const body = await problem(res);
  expect(body.code).toBe("VALIDATION_FAILED");
  expect(body.errors?.[0]?.field).toBe("events.0");
  const empty = await call(`/v1/webhooks/${crypto.randomUUID()}`, { method: "PATCH", token: org.apiKey, json: {} }, strict);
  expect(empty.status).toBe(400);
});

it("needs the manage scope", async () => {
  const org = await makeOrg("whs");
  const readOnly = await keyWith(org, ["read", "issue", "revoke"]);
  for (const [method, path] of [["POST", "/v1/webhooks"], ["GET", "/v1/webhooks"], ["GET", `/v1/webhooks/${crypto.randomUUID()}/deliveries`]] as const) {
    const res = await call(path, { method, token: readOnly, json: method === "POST" ? { url: "https://hooks.example.com/x", events: ["key.rotated"] } : undefined });
    expect(res.status).toBe(403);
    expect((await problem(res)).code).toBe("INSUFFICIENT_SCOPE");
  }
  expect((await call("/v1/webhooks")).status).toBe(401);
});

it("answers 404 for another org's endpoint and deliveries, on every route", async () => {
  const e = webhookEnv();
  const owner = await makeOrg("whs");
  const other = await makeOrg("whs");
  const hook = await createHook(e, owner, `iso-${crypto.randomUUID()}`, ["credential.issued"]);
  const test = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: owner.apiKey }, e);
  const { deliveryId } = (await test.json()) as { deliveryId: string };
  const attempts: [string, string, unknown?][] = [
    ["GET", `/v1/webhooks/${hook.id}`],
    ["PATCH", `/v1/webhooks/${hook.id}`, { enabled: false }],
    ["POST", `/v1/webhooks/${hook.id}/rotate-secret`],
    ["POST", `/v1/webhooks/${hook.id}/test`],
    ["GET", `/v1/webhooks/${hook.id}/deliveries`],
    ["POST", `/v1/webhooks/${hook.id}/deliveries/${deliveryId}/replay`],
    ["DELETE", `/v1/webhooks/${hook.id}`],
  ];
  for (const [method, path, json] of attempts) {
    const res = await call(path, { method, token: other.apiKey, json }, e);
    expect(res.status, `${method} ${path}`).toBe(404);
  }
  expect(((await (await call("/v1/webhooks", { token: other.apiKey }, e)).json()) as { data: unknown[] }).data).toEqual([]);
  // Untouched for its owner; then the owner's delete works and is final.
  const mine = await call(`/v1/webhooks/${hook.id}`, { token: owner.apiKey }, e);
  expect(((await mine.json()) as { enabled: boolean }).enabled).toBe(true);
  expect((await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", token: owner.apiKey }, e)).status).toBe(204);
  expect((await call(`/v1/webhooks/${hook.id}`, { token: owner.apiKey }, e)).status).toBe(404);
});

it("documents the routes and every event type as OpenAPI 3.1 webhooks", async () => {
  const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown>; webhooks: Record<string, { post: unknown }> };
  expect(Object.keys(doc.webhooks).sort()).toEqual(["batch.completed", "credential.issued", "credential.revoked", "key.rotated", "webhook.test"]);
  expect(doc.paths["/v1/webhooks/{id}/deliveries/{deliveryId}/replay"]).toBeDefined();
});
