// Console accounts and sessions: owner setup, sign-in, lockout, CSRF, headers, expiry, sign-out.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../db/client.ts";
import { consoleSessions, members } from "../db/schema/index.ts";
import { ADMIN, call, testEnv, uniqueSlug } from "../test/api.ts";
import { ConsoleClient, makeOrgWithOwner, OWNER_PASSWORD, ownerClient } from "../test/console.ts";
import { IDLE_TIMEOUT_MS } from "../services/sessions/sessions.ts";

describe("POST /v1/orgs with owner", () => {
  it("answers a one-time setup link on ORIGIN_BASE_URL and stores only the token's hash", async () => {
    const org = await makeOrgWithOwner();
    expect(org.ownerSetupUrl).toMatch(/^https:\/\/origin\.test\/console\/setup\?token=[\w-]{43}$/);
    const token = new URL(org.ownerSetupUrl).searchParams.get("token")!;
    const [row] = await database(testEnv).select().from(members).where(eq(members.email, org.ownerEmail));
    expect(row).toMatchObject({ role: "owner", passwordHash: null, orgId: org.id });
    expect(row!.setupTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.setupTokenHash).not.toContain(token);
    expect(row!.setupExpiresAt!.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it("refuses an owner email that already has an account (409 MEMBER_EXISTS naming owner.email)", async () => {
    const first = await makeOrgWithOwner();
    const slug = uniqueSlug("dup");
    const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "Dup", slug, owner: { email: first.ownerEmail, name: "X" } } });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { code: string; errors: { field: string }[] };
    expect(body.code).toBe("MEMBER_EXISTS");
    expect(body.errors[0]!.field).toBe("owner.email");
    expect((await call(`/v1/orgs/${slug}/api-keys`, { method: "POST", token: ADMIN })).status).toBe(404); // no org was left behind
  });

  it("validates the owner like any field", async () => {
    const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: "X", slug: uniqueSlug("bad"), owner: { email: "nope", name: "" } } });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(["owner.email", "owner.name"]);
  });
});

describe("owner setup", () => {
  it("sets the password once, signs in with a __Host- session cookie, and the link then stops working", async () => {
    const org = await makeOrgWithOwner();
    const client = new ConsoleClient();
    const url = new URL(org.ownerSetupUrl);
    expect((await client.get(url.pathname + url.search)).status).toBe(200);
    const short = await client.post("/console/setup", { token: url.searchParams.get("token")!, password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(client.lastBody).toContain('id="f-password-error"');
    const res = await client.post("/console/setup", { token: url.searchParams.get("token")!, password: OWNER_PASSWORD, confirm: OWNER_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-laurel_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//i);
    expect((await client.get("/console")).status).toBe(200);
    expect(client.lastBody).toContain(org.ownerEmail);
    const again = new ConsoleClient();
    expect((await again.get(url.pathname + url.search)).status).toBe(404);
  });
});

describe("sign-in", () => {
  it("signs in with the right password and refuses a wrong one next to the form", async () => {
    const { org } = await ownerClient();
    const wrong = new ConsoleClient();
    expect((await wrong.signIn(org.ownerEmail, "not the password")).status).toBe(401);
    expect(wrong.lastBody).toContain("The email or password is wrong.");
    const right = new ConsoleClient();
    const res = await right.signIn(org.ownerEmail, OWNER_PASSWORD);
    expect(res.status).toBe(303);
    expect((await right.get("/console/credentials")).status).toBe(200);
  });

  it("locks the account after 5 failures, with a clear message, even for the right password", async () => {
    const { org } = await ownerClient();
    const attacker = new ConsoleClient();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attacker.signIn(org.ownerEmail, `guess ${i} guess guess`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(attacker.lastBody).toMatch(/Too many failed sign-ins\. Sign-in is locked for 1[45] more minute/);
    const owner = new ConsoleClient();
    expect((await owner.signIn(org.ownerEmail, OWNER_PASSWORD)).status).toBe(429);
  }, 30_000);

  it("locks a client after 20 failures across accounts", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const c = new ConsoleClient();
      await c.get("/console/sign-in");
      const res = await call("/console/sign-in", {
        method: "POST",
        redirect: "manual",
        headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
        body: new URLSearchParams({ _csrf: c.csrf, email: `nobody-${i}-${crypto.randomUUID()}@example.edu`, password: "whatever whatever" }).toString(),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(statuses[19]).toBe(429);
    expect(statuses[20]).toBe(429);
  }, 60_000);
});

describe("CSRF, headers, expiry, sign-out", () => {
  it("answers 403 to a form without the CSRF token, or with another session's", async () => {
    const { owner } = await ownerClient();
    const { owner: other } = await ownerClient();
    await owner.get("/console");
    expect((await owner.post("/console/sign-out", { _csrf: null })).status).toBe(403);
    expect((await owner.post("/console/sign-out", { _csrf: other.csrf })).status).toBe(403);
    const anon = new ConsoleClient();
    await anon.get("/console/sign-in");
    expect((await anon.post("/console/sign-in", { _csrf: null, email: "a@b.co", password: "x" })).status).toBe(403);
    expect((await owner.get("/console")).status).toBe(200); // still signed in
  });

  it("sends a strict CSP with frame-ancestors 'none' on every page", async () => {
    const res = await new ConsoleClient().get("/console/sign-in");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("sends a signed-out visitor, or an expired session, to the sign-in page", async () => {
    const anon = await new ConsoleClient().get("/console/credentials?status=active");
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toBe("/console/sign-in?next=%2Fconsole%2Fcredentials%3Fstatus%3Dactive");
    const { owner, org } = await ownerClient();
    expect((await owner.get("/console")).status).toBe(200);
    const db = database(testEnv);
    const [member] = await db.select().from(members).where(eq(members.email, org.ownerEmail));
    await db.update(consoleSessions).set({ lastSeenAt: new Date(Date.now() - IDLE_TIMEOUT_MS - 60_000) }).where(eq(consoleSessions.memberId, member!.id));
    const expired = await owner.get("/console");
    expect(expired.status).toBe(303);
    expect(expired.headers.get("location")).toMatch(/^\/console\/sign-in/);
  });

  it("signs out this session, and every session with sign out everywhere", async () => {
    const { owner, org } = await ownerClient();
    await owner.get("/console");
    expect((await owner.post("/console/sign-out")).status).toBe(303);
    expect((await owner.get("/console")).status).toBe(303);
    const a = new ConsoleClient(), b = new ConsoleClient();
    await a.signIn(org.ownerEmail, OWNER_PASSWORD);
    await b.signIn(org.ownerEmail, OWNER_PASSWORD);
    await a.get("/console");
    expect((await a.post("/console/sign-out-everywhere")).status).toBe(303);
    expect((await b.get("/console")).status).toBe(303);
  });
});
