import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN, call, countRows, credentialBody, issue, makeAchievement, makeOrg, problem, uniqueSlug } from "../test/api.ts";

afterEach(() => vi.restoreAllMocks());

describe("admin token (POST /v1/orgs)", () => {
  it("missing → 401, wrong → 403, org API key → 403; nothing created", async () => {
    const org = await makeOrg("adm");
    const body = { name: "X", slug: uniqueSlug("adm") };
    const missing = await call("/v1/orgs", { method: "POST", json: body });
    expect(missing.status).toBe(401);
    expect((await problem(missing)).code).toBe("UNAUTHORIZED");
    expect(missing.headers.get("x-request-id")).toBeTruthy();
    for (const token of ["wrong", `${ADMIN}x`, ADMIN.slice(0, -1), org.apiKey]) {
      const res = await call("/v1/orgs", { method: "POST", token, json: body });
      expect(res.status).toBe(403);
      expect((await problem(res)).code).toBe("FORBIDDEN");
    }
    const basic = await call("/v1/orgs", { method: "POST", json: body, headers: { authorization: `Basic ${btoa(`admin:${ADMIN}`)}` } });
    expect(basic.status).toBe(401);
    expect(await countRows("orgs", "slug = ?", [body.slug])).toBe(0);
  });

  it("ADMIN_TOKEN unset or empty disables admin calls (503), whatever token is sent", async () => {
    for (const ADMIN_TOKEN of [undefined, ""]) {
      const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "X", slug: uniqueSlug("off") } }, { ADMIN_TOKEN });
      expect(res.status).toBe(503);
      expect((await problem(res)).code).toBe("ADMIN_DISABLED");
    }
  });
});

describe("API key authentication", () => {
  it.each([
    ["no header", undefined],
    ["empty bearer", "Bearer "],
    ["unknown key", "Bearer lrl_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["wrong prefix", "Bearer sk_live_abc"],
    ["basic scheme", "Basic dXNlcjpwYXNz"],
  ])("%s → 401 problem+json on every /v1 route", async (_label, authorization) => {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const routes = await apiKeyRoutes();
    for (const [method, path] of routes) {
      const res = await call(path, { method, headers: { ...headers, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
      expect(res.status, `${method} ${path}`).toBe(401);
      const p = await problem(res);
      expect(p.code).toBe("UNAUTHORIZED");
      expect(p.requestId).toBe(res.headers.get("x-request-id"));
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });
});

/**
 * Every operation the OpenAPI document marks as needing an API key, with random ids in its path
 * parameters: a route added later is covered without editing this test.
 */
async function apiKeyRoutes(): Promise<[string, string][]> {
  const doc = (await (await call("/openapi.json")).json()) as {
    paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
  };
  const routes: [string, string][] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.security?.some((s) => "apiKey" in s)) continue;
      routes.push([method.toUpperCase(), template.replace(/\{[^}]+\}/g, () => crypto.randomUUID())]);
    }
  }
  // The document must list at least the routes this test was written against.
  const listed = routes.map(([method, path]) => `${method} ${path.replace(/[0-9a-f-]{36}/g, ":id")}`);
  expect(listed).toEqual(
    expect.arrayContaining([
      "GET /v1/achievements",
      "POST /v1/achievements",
      "GET /v1/achievements/:id",
      "GET /v1/credentials",
      "POST /v1/credentials",
      "POST /v1/credentials/batch",
      "GET /v1/credentials/:id",
      "POST /v1/credentials/:id/revoke",
      "GET /v1/batches/:id",
      "GET /v1/keys",
      "POST /v1/keys/rotate",
    ]),
  );
  return routes;
}

describe("tenant isolation", () => {
  it("org B gets 404 for org A's achievement, credential and revoke, and never sees them in lists", async () => {
    const a = await makeOrg("tena");
    const b = await makeOrg("tenb");
    const achievement = await makeAchievement(a);
    const issued = (await (await issue(a, credentialBody(achievement.id, "private@example.edu"))).json()) as { id: string };

    expect((await call(`/v1/achievements/${achievement.id}`, { token: b.apiKey })).status).toBe(404);
    expect((await call(`/v1/credentials/${issued.id}`, { token: b.apiKey })).status).toBe(404);
    const revoke = await call(`/v1/credentials/${issued.id}/revoke`, { method: "POST", token: b.apiKey, json: { reason: "hostile" } });
    expect(revoke.status).toBe(404);
    expect((await problem(revoke)).code).toBe("NOT_FOUND");
    expect(await countRows("credentials", "id = ? AND status = 'active' AND revocation_reason IS NULL", [issued.id])).toBe(1);

    const issueWithForeign = await issue(b, credentialBody(achievement.id));
    expect(issueWithForeign.status).toBe(404);
    expect(await countRows("credentials", "org_id = ?", [b.id])).toBe(0);

    const lists = [
      "/v1/achievements",
      "/v1/credentials",
      `/v1/credentials?achievementId=${achievement.id}`,
      "/v1/credentials?email=private@example.edu",
    ];
    for (const path of lists) {
      const page = (await (await call(path, { token: b.apiKey })).json()) as { data: unknown[] };
      expect(page.data, path).toEqual([]);
    }
    // The same reads work for the owner (the 404s above are about ownership, not the ids).
    expect((await call(`/v1/achievements/${achievement.id}`, { token: a.apiKey })).status).toBe(200);
    expect((await call(`/v1/credentials/${issued.id}`, { token: a.apiKey })).status).toBe(200);
    const keysB = (await (await call("/v1/keys", { token: b.apiKey })).json()) as { kid: string }[];
    const keysA = (await (await call("/v1/keys", { token: a.apiKey })).json()) as { kid: string }[];
    expect(keysB.map((k) => k.kid)).not.toEqual(expect.arrayContaining(keysA.map((k) => k.kid)));
  });

  it("request log lines carry the org id and the operation", async () => {
    const org = await makeOrg("logs");
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    await call("/v1/achievements", { token: org.apiKey });
    const request = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === "request");
    expect(request).toMatchObject({ orgId: org.id, operation: "achievements.list", status: 200, service: "origin" });
    expect(lines.join("\n")).not.toContain(org.apiKey);
  });
});
