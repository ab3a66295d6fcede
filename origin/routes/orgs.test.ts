import { describe, expect, it } from "vitest";
import { decryptPrivateJwk } from "../services/signing/key-encryption.ts";
import { database } from "../db/client.ts";
import { apiKeys } from "../db/schema/index.ts";
import { MAX_ACTIVE_API_KEYS, newApiKeyRow } from "../services/api-keys/api-keys.ts";
import { ADMIN, call, callWorker, countRows, makeOrg, problem, sentJobs, testEnv, uniqueSlug } from "../test/api.ts";

describe("POST /v1/orgs", () => {
  it("creates an org with an API key, an active ES256 key encrypted at rest and a status list", async () => {
    const slug = uniqueSlug("uni");
    // Through the deployed entry point once; the other tests use the app with a recording queue.
    const res = await callWorker("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "Example University", slug } });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const org = (await res.json()) as { id: string; slug: string; name: string; apiKey: string };
    expect(org).toMatchObject({ slug, name: "Example University" });
    expect(org.apiKey).toMatch(/^lrl_live_[A-Za-z0-9_-]{43}$/);

    const db = database(testEnv).$client;
    const keys = await db.execute({ sql: "SELECT * FROM signing_keys WHERE org_id = ?", args: [org.id] });
    expect(keys.rows).toHaveLength(1);
    const key = keys.rows[0]!;
    expect(key.status).toBe("active");
    expect(key.alg).toBe("ES256");
    expect(String(key.private_jwk_encrypted)).toMatch(/^v1\./);
    expect(String(key.private_jwk_encrypted)).not.toContain('"d"');
    const jwk = await decryptPrivateJwk(testEnv.KEY_ENCRYPTION_SECRET, org.id, String(key.kid), String(key.private_jwk_encrypted));
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256" });
    expect(typeof jwk.d).toBe("string");
    // Bound to its row: another org id does not decrypt it.
    await expect(decryptPrivateJwk(testEnv.KEY_ENCRYPTION_SECRET, crypto.randomUUID(), String(key.kid), String(key.private_jwk_encrypted))).rejects.toThrow();

    // The API key is stored only as a hash.
    const apiKeys = await db.execute({ sql: "SELECT hash, prefix FROM api_keys WHERE org_id = ?", args: [org.id] });
    expect(apiKeys.rows).toHaveLength(1);
    expect(apiKeys.rows[0]!.hash).not.toBe(org.apiKey);
    expect(String(apiKeys.rows[0]!.hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(await countRows("status_lists", "org_id = ? AND size = 131072", [org.id])).toBe(1);

    // The key works.
    const list = await call("/v1/achievements", { token: org.apiKey });
    expect(list.status).toBe(200);
  });

  it("answers 409 SLUG_TAKEN for a slug in use, also under concurrent creation", async () => {
    const slug = uniqueSlug("dup");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "Dup", slug } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const conflict = results.find((r) => r.status === 409)!;
    expect((await problem(conflict)).code).toBe("SLUG_TAKEN");
    expect(await countRows("orgs", "slug = ?", [slug])).toBe(1);
  });

  it.each([
    ["ab", "too short"],
    ["a".repeat(64), "too long"],
    ["Upper-Case", "upper case"],
    ["-leading", "leading hyphen"],
    ["trailing-", "trailing hyphen"],
    ["under_score", "underscore"],
    ["dots.in.it", "dots"],
  ])("rejects slug %j (%s) naming the field, writing nothing", async (slug) => {
    // Counted by this request's unique name: other test files create orgs at the same time.
    const name = uniqueSlug("bad-slug");
    const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name, slug } });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.errors?.map((e) => e.field)).toContain("slug");
    expect(await countRows("orgs", "name = ?", [name])).toBe(0);
  });

  it("accepts 3- and 63-character slugs", async () => {
    const short = Math.random().toString(36).slice(2, 5).replace(/^[^a-z0-9]/, "a");
    for (const slug of [short.length === 3 ? short : "a1b", `x${"y".repeat(61)}z`]) {
      const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "Edge", slug } });
      expect([201, 409]).toContain(res.status); // 409 only if a previous run in this DB took it
    }
  });
});

describe("POST /v1/orgs publication", () => {
  it("enqueues issuer.publish and status-list.publish for the new org, carrying the request id", async () => {
    const slug = uniqueSlug("pub");
    const res = await call("/v1/orgs", {
      method: "POST",
      token: ADMIN,
      json: { name: "Pub", slug },
      headers: { "x-request-id": `req-${slug}` },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const lists = await database(testEnv).$client.execute({ sql: "SELECT id FROM status_lists WHERE org_id = ?", args: [id] });
    // Each message also carries the request's trace context (origin/tracing/traced-env.ts).
    expect(sentJobs).toContainEqual(expect.objectContaining({ type: "issuer.publish", orgId: id, requestId: `req-${slug}`, trace: expect.anything() }));
    expect(sentJobs).toContainEqual(
      expect.objectContaining({ type: "status-list.publish", statusListId: String(lists.rows[0]!.id), requestId: `req-${slug}`, trace: expect.anything() }),
    );
  });
});

describe("POST /v1/orgs/{slug}/api-keys", () => {
  it("adds a working API key to an existing org; unknown slug → 404", async () => {
    const org = await makeOrg("keys");
    const res = await call(`/v1/orgs/${org.slug}/api-keys`, { method: "POST", token: ADMIN });
    expect(res.status).toBe(201);
    const { apiKey } = (await res.json()) as { apiKey: string };
    expect(apiKey).not.toBe(org.apiKey);
    expect((await call("/v1/achievements", { token: apiKey })).status).toBe(200);
    expect((await call(`/v1/orgs/${uniqueSlug("none")}/api-keys`, { method: "POST", token: ADMIN })).status).toBe(404);
  });

  it("keeps the org's key limit: past MAX_ACTIVE_API_KEYS the operator gets 409 TOO_MANY_API_KEYS", async () => {
    const org = await makeOrg("keylimit"); // holds one key already
    const more = await Promise.all(Array.from({ length: MAX_ACTIVE_API_KEYS - 1 }, () => newApiKeyRow(org.id, "filler", ["read"])));
    await database(testEnv).insert(apiKeys).values(more.map((k) => k.row));
    const res = await call(`/v1/orgs/${org.slug}/api-keys`, { method: "POST", token: ADMIN });
    expect(res.status).toBe(409);
    expect((await problem(res)).code).toBe("TOO_MANY_API_KEYS");
    expect(await countRows("api_keys", "org_id = ?", [org.id])).toBe(MAX_ACTIVE_API_KEYS);
  });
});
