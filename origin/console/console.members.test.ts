// Console members: invitations are emailed through the mail sender (the test run's real outbox)
// with a working one-time link; changing a member's role takes effect at once, only an owner
// touches the owner role, and the org never loses its last owner who can sign in.
import { beforeAll, describe, expect, it } from "vitest";
import { countRows } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";
import { messagesTo, outboxMail, uniqueAddress } from "../test/mail.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;

/** The id of the member with this email, from the members page's forms. */
function memberId(body: string, email: string): string {
  const row = body.split("<tr>").find((r) => r.includes(`<td>${email}</td>`))!;
  return row.match(/\/console\/settings\/members\/([\w-]+)\/role/)![1]!;
}

async function changeRole(client: ConsoleClient, email: string, role: string): Promise<Response> {
  await client.get("/console/settings/members");
  return client.post(`/console/settings/members/${memberId(client.lastBody, email)}/role`, { role });
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("mem"));
  await owner.get("/console/settings/members");
}, 60_000);

describe("invitations by email", { timeout: 30_000 }, () => {
  it("emails the one-time link (not shown on the page), which sets the new member up", async () => {
    const mailing = new ConsoleClient();
    mailing.cookies = owner.cookies;
    mailing.env = outboxMail();
    await mailing.get("/console/settings/members");
    const email = uniqueAddress("invitee");
    const res = await mailing.post("/console/settings/members", { name: "Ivy Invitee", email, role: "issuer" });
    expect(res.status).toBe(200);
    expect(mailing.lastBody).toContain(`Invitation emailed to ${email}`);
    expect(mailing.lastBody).not.toContain('class="secret"');
    const [message, ...more] = await messagesTo(email);
    expect(more).toHaveLength(0);
    expect(message!.subject).toContain(org.name);
    const link = message!.text.match(/https:\/\/origin\.test\/console\/setup\?token=[\w-]+/)?.[0];
    expect(link).toBeDefined();
    expect(message!.html).toContain(link!);
    const invitee = new ConsoleClient();
    expect((await invitee.setUp(link!, "invitee password 123")).status).toBe(303);
    expect((await invitee.get("/console/issue")).status).toBe(200);
    expect(await countRows("audit_log", "org_id = ? AND action = 'member.invite' AND target = ?", [org.id, email])).toBe(1);
  });
});

describe("changing a member's role", { timeout: 30_000 }, () => {
  it("takes effect on the member's next request and is audited", async () => {
    const { client, email } = await invitedClient(owner, "issuer");
    expect((await client.get("/console/issue")).status).toBe(200);
    const res = await changeRole(owner, email, "viewer");
    expect(res.status).toBe(200);
    expect(owner.lastBody).toContain(`${email} is now viewer`);
    expect((await client.get("/console/issue")).status).toBe(403);
    expect(await countRows("audit_log", "org_id = ? AND action = 'member.role' AND target = ?", [org.id, email])).toBe(1);
  });

  it("lets only an owner give or take the owner role", async () => {
    const { client: admin } = await invitedClient(owner, "admin");
    const { email } = await invitedClient(owner, "viewer");
    await admin.get("/console/settings/members");
    const target = memberId(admin.lastBody, email);
    expect((await admin.post(`/console/settings/members/${target}/role`, { role: "owner" })).status).toBe(403);
    await owner.get("/console/settings/members");
    const ownerId = owner.lastBody.match(new RegExp(`<td>${org.ownerEmail}</td><td><form class="inline" method="post" action="/console/settings/members/([\\w-]+)/role"`))![1]!;
    expect((await admin.post(`/console/settings/members/${ownerId}/role`, { role: "viewer" })).status).toBe(403);
    expect((await changeRole(owner, email, "admin")).status).toBe(200);
  });

  it("never leaves the org without an owner; with a second owner the first may step down", async () => {
    const sole = await changeRole(owner, org.ownerEmail, "admin");
    expect(sole.status).toBe(409);
    expect(owner.lastBody).toContain("must keep an owner");
    expect((await owner.get("/console/settings/keys")).status).toBe(200);

    const { email: second } = await invitedClient(owner, "owner");
    await owner.get("/console/settings/members");
    const secondId = memberId(owner.lastBody, second);
    expect((await changeRole(owner, org.ownerEmail, "admin")).status).toBe(200);
    expect(owner.lastBody).toContain(`${org.ownerEmail} is now admin`);
    // Now an admin: the other owner's role is out of reach.
    expect((await owner.post(`/console/settings/members/${secondId}/role`, { role: "viewer" })).status).toBe(403);
  });

  it("answers 404 for another org's member", async () => {
    const other = await ownerClient("mem-other");
    const { email } = await invitedClient(other.owner, "viewer");
    await other.owner.get("/console/settings/members");
    const theirs = memberId(other.owner.lastBody, email);
    const { owner: ownerOfFirst } = await ownerClient("mem-third");
    await ownerOfFirst.get("/console/settings/members");
    expect((await ownerOfFirst.post(`/console/settings/members/${theirs}/role`, { role: "admin" })).status).toBe(404);
    await other.owner.get("/console/settings/members");
    expect(other.owner.lastBody).toMatch(new RegExp(`<td>${email}</td><td><form[^]*?<option value="viewer" selected`));
  });
});
