// API keys and scopes through the issuer API: keys with chosen scopes, 403 INSUFFICIENT_SCOPE for
// the scope a route documents, deleted keys answering 401, the admin token acting for an org.
import { describe, expect, it } from "vitest";
import { ADMIN, call, credentialBody, issue, makeAchievement, makeOrg, problem, type TestOrg } from "../test/api.ts";

const ALL = ["read", "issue", "revoke", "manage"] as const;
type Scope = (typeof ALL)[number];

async function makeKey(org: TestOrg, scopes: readonly Scope[], name = "test key") {
  const res = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json: { name, scopes } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; name: string; scopes: Scope[]; apiKey: string; createdAt: string };
}

type ListedKey = { id: string; name: string; scopes: Scope[]; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

async function listKeys(token: string): Promise<ListedKey[]> {
  const res = await call("/v1/api-keys", { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: ListedKey[] }).data;
}

/** Polls `check` until it returns true or the deadline passes (no timing asserts: a generous deadline). */
async function eventually(check: () => Promise<boolean>, deadlineMs = 20_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe("API keys", () => {
  it("creates a key with its scopes (secret once), lists keys without secrets, the org's first key has every scope", async () => {
    const org = await makeOrg("keys");
    const made = await makeKey(org, ["issue", "read"], "LMS sync");
    expect(made).toMatchObject({ name: "LMS sync", scopes: ["read", "issue"] });
    expect(made.apiKey).toMatch(/^lrl_live_/);
    const listed = await listKeys(org.apiKey);
    expect(listed.map((k) => k.id)).toContain(made.id);
    const initial = listed.find((k) => k.id !== made.id)!;
    expect(initial.scopes).toEqual([...ALL]);
    const mine = listed.find((k) => k.id === made.id)!;
    expect(made.apiKey.startsWith(mine.prefix)).toBe(true);
    expect(mine.revokedAt).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(made.apiKey);
    expect(JSON.stringify(listed)).not.toContain(org.apiKey);
  });

  it("refuses unknown, repeated or no scopes and a missing name, naming the field", async () => {
    const org = await makeOrg("keys");
    for (const [json, field] of [
      [{ name: "x", scopes: ["admin"] }, "scopes.0"],
      [{ name: "x", scopes: [] }, "scopes"],
      [{ name: "x", scopes: ["read", "read"] }, "scopes"],
      [{ scopes: ["read"] }, "name"],
    ] as const) {
      const res = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json });
      expect(res.status).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe("VALIDATION_FAILED");
      expect(p.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it("a read-only key reads but cannot issue, revoke or manage (403 INSUFFICIENT_SCOPE naming the scope)", async () => {
    const org = await makeOrg("scope");
    const achievement = await makeAchievement(org);
    const issued = await issue(org, credentialBody(achievement.id));
    expect(issued.status).toBe(201);
    const { id } = (await issued.json()) as { id: string };
    const reader = await makeKey(org, ["read"]);
    expect((await call(`/v1/credentials/${id}`, { token: reader.apiKey })).status).toBe(200);
    expect((await call("/v1/credentials", { token: reader.apiKey })).status).toBe(200);
    expect((await call("/v1/keys", { token: reader.apiKey })).status).toBe(200);

    const denied: [string, string, Scope, unknown][] = [
      ["POST", "/v1/credentials", "issue", credentialBody(achievement.id)],
      ["POST", `/v1/credentials/${id}/revoke`, "revoke", { reason: "test" }],
      ["POST", "/v1/api-keys", "manage", { name: "x", scopes: ["read"] }],
      ["POST", "/v1/keys/rotate", "manage", undefined],
    ];
    for (const [method, path, scope, json] of denied) {
      const res = await call(path, { method, token: reader.apiKey, json, headers: { "idempotency-key": crypto.randomUUID() } });
      expect(res.status, `${method} ${path}`).toBe(403);
      const p = await problem(res);
      expect(p.code).toBe("INSUFFICIENT_SCOPE");
      expect(p.detail).toContain(`"${scope}"`);
      expect(res.headers.get("www-authenticate")).toContain(`scope="${scope}"`);
    }
    const still = (await (await call(`/v1/credentials/${id}`, { token: reader.apiKey })).json()) as { status: string };
    expect(still.status).toBe("active");
  });

  it("a deleted key answers 401; deleting again is harmless; another org's key id answers 404", async () => {
    const org = await makeOrg("del");
    const other = await makeOrg("del");
    const doomed = await makeKey(org, ["read"]);
    expect((await call("/v1/keys", { token: doomed.apiKey })).status).toBe(200);
    expect((await call(`/v1/api-keys/${doomed.id}`, { method: "DELETE", token: other.apiKey })).status).toBe(404);
    expect((await call("/v1/keys", { token: doomed.apiKey })).status).toBe(200);

    expect((await call(`/v1/api-keys/${doomed.id}`, { method: "DELETE", token: org.apiKey })).status).toBe(204);
    expect(await eventually(async () => (await call("/v1/keys", { token: doomed.apiKey })).status === 401, 10_000)).toBe(true);
    const res = await call("/v1/credentials", { token: doomed.apiKey });
    expect((await problem(res)).code).toBe("UNAUTHORIZED");
    expect((await call(`/v1/api-keys/${doomed.id}`, { method: "DELETE", token: org.apiKey })).status).toBe(204);
    expect((await call(`/v1/api-keys/${crypto.randomUUID()}`, { method: "DELETE", token: org.apiKey })).status).toBe(404);
    const listed = (await listKeys(org.apiKey)).find((k) => k.id === doomed.id)!;
    expect(listed.revokedAt).not.toBeNull();
  });

  it("records lastUsedAt when a key is used", async () => {
    const org = await makeOrg("used");
    const key = await makeKey(org, ["read"]);
    expect((await listKeys(org.apiKey)).find((k) => k.id === key.id)!.lastUsedAt).toBeNull();
    expect((await call("/v1/keys", { token: key.apiKey })).status).toBe(200);
    const seen = await eventually(async () => (await listKeys(org.apiKey)).find((k) => k.id === key.id)!.lastUsedAt !== null);
    expect(seen).toBe(true);
  });
});

describe("admin token acting for an org (Laurel-Org)", () => {
  it("reads and manages the named org (slug or id); without the header 400 naming it; unknown org 404", async () => {
    const org = await makeOrg("adm");
    const bySlug = await call("/v1/api-keys", { token: ADMIN, headers: { "laurel-org": org.slug } });
    expect(bySlug.status).toBe(200);
    const keys = ((await bySlug.json()) as { data: ListedKey[] }).data;
    expect(keys).toHaveLength(1);
    const leaked = keys[0]!;
    const byId = await call(`/v1/api-keys/${leaked.id}`, { method: "DELETE", token: ADMIN, headers: { "laurel-org": org.id } });
    expect(byId.status).toBe(204);
    expect(await eventually(async () => (await call("/v1/keys", { token: org.apiKey })).status === 401, 10_000)).toBe(true);

    const missing = await call("/v1/keys", { token: ADMIN });
    expect(missing.status).toBe(400);
    expect((await problem(missing)).errors?.[0]?.field).toBe("header Laurel-Org");
    const unknown = await call("/v1/keys", { token: ADMIN, headers: { "laurel-org": "no-such-org-anywhere" } });
    expect(unknown.status).toBe(404);
    const wrongToken = await call("/v1/keys", { token: `${ADMIN}x`, headers: { "laurel-org": org.slug } });
    expect(wrongToken.status).toBe(401);
  });
});

describe("every documented scope is the enforced one", () => {
  it("each /v1 operation names one apiKey scope, and a key with every other scope gets 403 naming it", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>> };
    const org = await makeOrg("doc");
    const keysWithout = new Map<Scope, string>();
    for (const scope of ALL) keysWithout.set(scope, (await makeKey(org, ALL.filter((s) => s !== scope))).apiKey);
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith("/v1/") || path.startsWith("/v1/orgs")) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (op.security?.length && op.security.every((s) => "adminToken" in s)) continue; // admin token only (e.g. /v1/operators)
        const scopes = op.security?.find((s) => "apiKey" in s)?.apiKey ?? [];
        expect(scopes, `${method} ${path}`).toHaveLength(1);
        const scope = scopes[0] as Scope;
        expect(ALL).toContain(scope);
        const url = path.replace(/\{[^}]+\}/g, crypto.randomUUID());
        const res = await call(url, {
          method: method.toUpperCase(),
          token: keysWithout.get(scope)!,
          headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
          body: method === "get" || method === "delete" ? undefined : "{}",
        });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect((await problem(res)).detail).toContain(`"${scope}"`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(14);
  });
});
