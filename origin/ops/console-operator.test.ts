// /ops for console operators: only the admin token marks an account as operator (/v1/operators);
// an operator's console session opens /ops (reads only), a member who is not one gets 403, and
// signing out, an idle session or a withdrawn mark ends it. The console links operators to /ops.
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client.ts";
import { ADMIN, call, countRows, problem, testEnv } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

const HTML = { accept: "text/html" };

let org: OrgWithOwner;
let owner: ConsoleClient;

/** A request with the client's cookies but headers of our choosing (ConsoleClient sends no Accept). */
function asClient(client: ConsoleClient, path: string, init: RequestInit = {}): Promise<Response> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return call(path, { ...init, headers: { ...(init.headers as Record<string, string>), cookie }, redirect: "manual" });
}

const grant = (email: string, token = ADMIN) => call("/v1/operators", { method: "POST", token, json: { email } });
async function withdraw(email: string): Promise<Response> {
  const rows = await database(testEnv).$client.execute({ sql: "SELECT id FROM members WHERE email = ?", args: [email] });
  return call(`/v1/operators/${String(rows.rows[0]?.id ?? "unknown")}`, { method: "DELETE", token: ADMIN });
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("opsop"));
}, 60_000);

describe("/v1/operators (admin)", () => {
  it("takes only the admin token: no token 401, an org API key 403", async () => {
    expect((await problem(await grant(org.ownerEmail, ""))).status).toBe(401);
    expect((await problem(await grant(org.ownerEmail, org.apiKey))).code).toBe("FORBIDDEN");
    expect((await problem(await call("/v1/operators", { token: org.apiKey }))).status).toBe(403);
    expect(await countRows("members", "email = ? AND operator_since IS NOT NULL", [org.ownerEmail])).toBe(0);
  });

  it("answers 404 for an address without a console account and 400 naming the field for one that is not an address", async () => {
    const missing = await problem(await grant(`nobody-${crypto.randomUUID()}@example.edu`));
    expect(missing).toMatchObject({ status: 404, code: "NOT_FOUND" });
    const bad = await problem(await grant("not-an-address"));
    expect(bad.status).toBe(400);
    expect(bad.errors?.map((e) => e.field)).toEqual(["email"]);
  });

  it("refuses an invited account whose setup is still open (409): its setup link may be in the inviter's hands", async () => {
    const { email } = await invitedClient(owner, "viewer");
    const invited = `pending-${crypto.randomUUID().slice(0, 6)}@example.edu`;
    await owner.get("/console/settings/members");
    await owner.post("/console/settings/members", { name: "Pending", email: invited, role: "viewer" });
    expect(await countRows("members", "email = ? AND setup_token_hash IS NOT NULL", [invited])).toBe(1);
    expect(await problem(await grant(invited))).toMatchObject({ status: 409, code: "ACCOUNT_SETUP_PENDING" });
    expect(await countRows("members", "email = ? AND operator_since IS NOT NULL", [invited])).toBe(0);
    // An invited member who finished the setup can be granted.
    expect((await grant(email)).status).toBe(200);
    expect((await withdraw(email)).status).toBe(204);
  });

  it("an org owner cannot give anyone an operator role from the console", async () => {
    await owner.get("/console/settings/members");
    const email = `would-be-op-${crypto.randomUUID().slice(0, 6)}@example.edu`;
    const res = await owner.post("/console/settings/members", { name: "Would Be", email, role: "operator" });
    expect(res.status).toBe(400);
    expect(await countRows("members", "email = ?", [email])).toBe(0);
  });
});

describe("/ops with a console session", () => {
  it("a signed-in member who is not an operator gets 403 (a page to a browser, problem+json otherwise), not the sign-in form", async () => {
    const page = await asClient(owner, "/ops", { headers: HTML });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("is not an operator of this deployment");
    expect((await problem(await asClient(owner, "/ops/api/summary"))).code).toBe("FORBIDDEN");
    expect((await owner.get("/console")).status).toBe(200);
    expect(owner.lastBody).not.toContain('href="/ops"');
  });

  it("once the admin marks the account, its console session opens /ops and the console links to it; reads only", async () => {
    const granted = await grant(org.ownerEmail);
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ email: org.ownerEmail, orgSlug: org.slug, operatorSince: expect.any(String) });
    expect((await grant(org.ownerEmail)).status).toBe(200); // idempotent
    const list = (await (await call("/v1/operators", { token: ADMIN })).json()) as { operators: { email: string }[] };
    expect(list.operators.map((o) => o.email)).toContain(org.ownerEmail);
    expect(await countRows("audit_log", "org_id = ? AND action = 'member.operator-grant' AND target = ?", [org.id, org.ownerEmail])).toBe(1);

    const page = await asClient(owner, "/ops", { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("Alerts firing");
    expect((await asClient(owner, "/ops/api/summary")).status).toBe(200);
    expect((await owner.get("/console")).status).toBe(200);
    expect(owner.lastBody).toContain('<a href="/ops">Operations</a>');

    // State-changing /ops calls keep to the admin token: the session alone is not enough.
    const put = await asClient(owner, "/ops/faults/queues/laurel-jobs", { method: "PUT", headers: { "content-type": "application/json" }, body: '{"seconds":1}' });
    expect(put.status).toBe(401);
  });

  it("the console sign-in comes back to /ops when asked to", async () => {
    const again = new ConsoleClient();
    await again.get("/console/sign-in?next=%2Fops");
    expect(again.lastBody).toContain('name="next" value="/ops"');
  });

  it("an idle session no longer opens /ops", async () => {
    const { client, email } = await invitedClient(owner, "viewer", "idle-op");
    expect((await grant(email)).status).toBe(200);
    expect((await asClient(client, "/ops", { headers: HTML })).status).toBe(200);
    const twoHoursAgo = Date.now() - 2 * 60 * 60 * 1000;
    await database(testEnv).$client.execute({
      sql: "UPDATE console_sessions SET last_seen_at = ? WHERE member_id = (SELECT id FROM members WHERE email = ?)",
      args: [twoHoursAgo, email],
    });
    const after = await asClient(client, "/ops", { headers: HTML });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/ops/sign-in");
  });

  it("a member the owner removes loses /ops with the account", async () => {
    const { client, email } = await invitedClient(owner, "viewer", "removed-op");
    expect((await grant(email)).status).toBe(200);
    expect((await asClient(client, "/ops/api/summary")).status).toBe(200);
    const [row] = (await database(testEnv).$client.execute({ sql: "SELECT id FROM members WHERE email = ?", args: [email] })).rows;
    await owner.get("/console/settings/members");
    expect((await owner.post(`/console/settings/members/${row!.id}/remove`)).status).toBeLessThan(400);
    expect((await asClient(client, "/ops/api/summary")).status).toBe(401);
  });

  it("while the database is down an operator's browser is sent to the admin-token form, not a 503", async () => {
    const { client, email } = await invitedClient(owner, "viewer", "outage-op");
    expect((await grant(email)).status).toBe(200);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const down = { LIBSQL_URL: "http://127.0.0.1:9", LIBSQL_TIMEOUT_MS: "1500" }; // nothing listens there
    const res = await call("/ops", { headers: { ...HTML, cookie }, redirect: "manual" }, down);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/ops/sign-in");
    expect(res.headers.getSetCookie().join()).not.toMatch(/laurel_session=;/); // the session is kept for later
    expect((await asClient(client, "/ops", { headers: HTML })).status).toBe(200);
  });

  it("withdrawing the mark answers the next /ops request 403; signing out of the console ends /ops access", async () => {
    const { client, email } = await invitedClient(owner, "issuer", "gone-op");
    expect((await grant(email)).status).toBe(200);
    expect((await asClient(client, "/ops", { headers: HTML })).status).toBe(200);
    expect((await withdraw(email)).status).toBe(204);
    expect((await asClient(client, "/ops", { headers: HTML })).status).toBe(403);
    expect((await withdraw(email)).status).toBe(204); // idempotent

    expect((await grant(email)).status).toBe(200);
    expect((await asClient(client, "/ops", { headers: HTML })).status).toBe(200);
    const stale = new ConsoleClient();
    stale.cookies = new Map(client.cookies); // the cookie as it was before signing out
    await client.get("/console");
    expect((await client.post("/console/sign-out")).status).toBe(303);
    const after = await asClient(stale, "/ops", { headers: HTML });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/ops/sign-in");
  });
});
