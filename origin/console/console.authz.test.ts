// Console authorisation and actions: each role × each action, another org's ids (404), issuing
// from the form (a repeated submission issues once), revoking with a reason (audited).
import { beforeAll, describe, expect, it } from "vitest";
import { call, countRows, credentialBody, issue, makeAchievement } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
let achievementId: string;
const byRole: Record<string, ConsoleClient> = {};

async function newCredential(target = org): Promise<string> {
  const res = await issue(target, credentialBody(achievementId));
  if (res.status !== 201) throw new Error(`issue: ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("authz"));
  achievementId = (await makeAchievement(org)).id;
  byRole.owner = owner;
  for (const role of ["admin", "issuer", "viewer"]) byRole[role] = (await invitedClient(owner, role)).client;
}, 60_000);

describe("each role × each action", () => {
  const reads = ["/console", "/console/credentials", "/console/credentials/{id}"];
  const issuing = ["/console/issue", "/console/credentials/{id}/revoke"];
  const managing = ["/console/settings/members", "/console/settings/audit", "/console/settings/api-keys"];
  const expected: Record<string, { read: number; issue: number; manage: number }> = {
    owner: { read: 200, issue: 200, manage: 200 },
    admin: { read: 200, issue: 200, manage: 200 },
    issuer: { read: 200, issue: 200, manage: 403 },
    viewer: { read: 200, issue: 403, manage: 403 },
  };
  for (const role of Object.keys(expected)) {
    it(`${role}: pages`, async () => {
      const id = await newCredential();
      const client = byRole[role]!;
      const seen: Record<string, number> = {};
      for (const p of [...reads, ...issuing, ...managing]) seen[p] = (await client.get(p.replace("{id}", id))).status;
      const want = expected[role]!;
      expect(seen).toEqual({
        ...Object.fromEntries(reads.map((p) => [p, want.read])),
        ...Object.fromEntries(issuing.map((p) => [p, want.issue])),
        ...Object.fromEntries(managing.map((p) => [p, want.manage])),
      });
    });

    it(`${role}: revoking, issuing and inviting`, async () => {
      const id = await newCredential();
      const client = byRole[role]!;
      await client.get("/console");
      const revoke = await client.post(`/console/credentials/${id}/revoke`, { reason: "role check" });
      expect(revoke.status).toBe(want(role, "issue") ? 303 : 403);
      const status = ((await (await call(`/v1/credentials/${id}`, { token: org.apiKey })).json()) as { status: string }).status;
      expect(status).toBe(want(role, "issue") ? "revoked" : "active");
      const email = `role-${role}-${crypto.randomUUID().slice(0, 6)}@example.edu`;
      const issued = await client.post("/console/issue", { achievementId, name: "Role Check", email, formKey: crypto.randomUUID() });
      expect(issued.status).toBe(want(role, "issue") ? 303 : 403);
      const invited = await client.post("/console/settings/members", { name: "X", email: `inv-${email}`, role: "viewer" });
      expect(invited.status).toBe(want(role, "manage") ? 200 : 403);
    });
  }
  function want(role: string, what: "issue" | "manage"): boolean {
    return expected[role]![what] === 200;
  }
});

describe("another org's ids", () => {
  it("answer 404 to pages and forms, and change nothing", async () => {
    const { owner: stranger, org: strangerOrg } = await ownerClient("other");
    await makeAchievement(strangerOrg);
    const id = await newCredential();
    expect((await stranger.get(`/console/credentials/${id}`)).status).toBe(404);
    expect((await stranger.get(`/console/credentials/${id}/revoke`)).status).toBe(404);
    await stranger.get("/console");
    expect((await stranger.post(`/console/credentials/${id}/revoke`, { reason: "not mine" })).status).toBe(404);
    const issued = await stranger.post("/console/issue", { achievementId, name: "X", email: "x@example.edu", formKey: crypto.randomUUID() });
    expect(issued.status).toBe(400);
    expect(stranger.lastBody).toContain("Choose one of your org&#39;s achievements.");
    const ownerMember = await countRows("members", "org_id = ? AND role = 'owner'", [org.id]);
    expect(ownerMember).toBe(1);
    const res = await call(`/v1/credentials/${id}`, { token: org.apiKey });
    expect(((await res.json()) as { status: string }).status).toBe("active");
  });
});

describe("issuing from the form", () => {
  it("issues once per form, however often it is submitted, and shows field errors next to fields", async () => {
    await owner.get("/console/issue");
    const formKey = owner.lastBody.match(/name="formKey" value="([^"]+)"/)![1]!;
    const email = `form-${crypto.randomUUID().slice(0, 8)}@example.edu`;
    const bad = await owner.post("/console/issue", { achievementId, name: "", email: "not-an-email", formKey });
    expect(bad.status).toBe(400);
    expect(owner.lastBody).toContain('id="f-name-error"');
    expect(owner.lastBody).toContain('id="f-email-error"');
    const first = await owner.post("/console/issue", { achievementId, name: "Grace Hopper", email, formKey });
    const second = await owner.post("/console/issue", { achievementId, name: "Grace Hopper", email, formKey });
    expect(first.status).toBe(303);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await countRows("credentials", "org_id = ? AND recipient_email = ?", [org.id, email])).toBe(1);
  });
});

describe("searching and revoking", () => {
  it("finds a credential by email, revokes it with a reason, and audits it", async () => {
    const email = `find-${crypto.randomUUID().slice(0, 8)}@example.edu`;
    const res = await issue(org, credentialBody(achievementId, email));
    const { id } = (await res.json()) as { id: string };
    await owner.get(`/console/credentials?recipient=${encodeURIComponent(email.toUpperCase())}`);
    expect(owner.lastBody).toContain(`/console/credentials/${id}`);
    expect((owner.lastBody.match(/<tr><td>/g) ?? []).length).toBe(1);
    await owner.get(`/console/credentials/${id}/revoke`);
    expect((await owner.post(`/console/credentials/${id}/revoke`, { reason: "" })).status).toBe(400);
    const done = await owner.post(`/console/credentials/${id}/revoke`, { reason: "Issued in error" });
    expect(done.headers.get("location")).toBe(`/console/credentials/${id}?done=revoked`);
    const api = (await (await call(`/v1/credentials/${id}`, { token: org.apiKey })).json()) as { status: string; revocationReason: string };
    expect(api).toMatchObject({ status: "revoked", revocationReason: "Issued in error" });
    await owner.get("/console/settings/audit");
    expect(owner.lastBody).toContain("credential.revoke");
    await owner.get(`/console/credentials?status=revoked&recipient=${encodeURIComponent(email)}`);
    expect(owner.lastBody).toContain(`/console/credentials/${id}`);
    await owner.get(`/console/credentials?status=active&recipient=${encodeURIComponent(email)}`);
    expect(owner.lastBody).not.toContain(`/console/credentials/${id}`);
  });
});

describe("API keys from the console", () => {
  it("creates a key with the chosen scopes (secret shown once), and revokes it", async () => {
    await owner.get("/console/settings/api-keys");
    const none = await owner.post("/console/settings/api-keys", { name: "CI" });
    expect(none.status).toBe(400);
    expect(owner.lastBody).toContain('id="f-scopes-error"');
    const made = await owner.post("/console/settings/api-keys", { name: "Read only CI", scopes: "read" });
    expect(made.status).toBe(200);
    const secret = owner.lastBody.match(/<code class="secret">([^<]+)<\/code>/)![1]!;
    expect((await call("/v1/credentials", { token: secret })).status).toBe(200);
    expect((await issue({ ...org, apiKey: secret }, credentialBody(achievementId))).status).toBe(403);
    await owner.get("/console/settings/api-keys");
    expect(owner.lastBody).not.toContain(secret);
    const id = owner.lastBody.match(/action="\/console\/settings\/api-keys\/([0-9a-f-]{36})\/revoke"[^]*?Revoke Read only CI/)?.[1];
    expect(id).toBeDefined();
    expect((await owner.post(`/console/settings/api-keys/${id}/revoke`)).status).toBe(200);
    await expect.poll(async () => (await call("/v1/credentials", { token: secret })).status, { timeout: 15_000, interval: 500 }).toBe(401);
  }, 30_000);
});
