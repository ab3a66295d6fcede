// Re-sending the recipient's email from the console's credential page: the notification goes back
// to pending as a new instance (the same service as POST /v1/credentials/:id/notify), the page
// shows its status, viewers cannot, another org's credential is 404.
import { beforeAll, describe, expect, it } from "vitest";
import { countRows, credentialBody, issue, makeAchievement, makeOrg } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
let achievementId: string;

async function newCredential(target: { apiKey: string; id: string; slug: string; name: string } = org, achievement = achievementId): Promise<string> {
  const res = await issue(target, credentialBody(achievement));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("notify"));
  achievementId = (await makeAchievement(org)).id;
}, 60_000);

describe("re-sending a credential's notification", () => {
  it("queues the issuance notice again and shows it on the page", async () => {
    const id = await newCredential();
    await owner.get(`/console/credentials/${id}`);
    expect(owner.lastBody).toContain("Recipient emails");
    // Issuance recorded the notice (skipped: the test Worker has no mail transport).
    expect(await countRows("notifications", "credential_id = ? AND kind = 'issued' AND resends = 0", [id])).toBe(1);
    const res = await owner.post(`/console/credentials/${id}/notify`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/credentials/${id}?done=notified`);
    expect(await countRows("notifications", "credential_id = ? AND kind = 'issued' AND resends = 1", [id])).toBe(1);
    expect(await countRows("audit_log", "target = ? AND action = 'credential.notify'", [id])).toBe(1);
    await owner.get(`/console/credentials/${id}?done=notified`);
    expect(owner.lastBody).toContain("queued again");
    expect(owner.lastBody).toMatch(/Issuance notice: (waiting to be sent|being sent|sent|not sent|failed)/);
  });

  it("is refused to a viewer and answers 404 for another org's credential", async () => {
    const { client: viewer } = await invitedClient(owner, "viewer");
    const id = await newCredential();
    await viewer.get(`/console/credentials/${id}`);
    expect(viewer.lastBody).not.toContain("Re-send the email");
    expect((await viewer.post(`/console/credentials/${id}/notify`)).status).toBe(403);

    const other = await makeOrg("notify-other");
    const theirs = await newCredential(other, (await makeAchievement(other)).id);
    await owner.get("/console/credentials");
    expect((await owner.post(`/console/credentials/${theirs}/notify`)).status).toBe(404);
    expect(await countRows("audit_log", "target = ? AND action = 'credential.notify'", [theirs])).toBe(0);
  });
});
