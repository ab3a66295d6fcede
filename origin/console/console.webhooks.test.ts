// Console webhook pages: create (the URL guard and event names as in the API, the secret shown
// once), edit, disable and enable, rotate, send a test event that the real consumer delivers to the
// receiver, the delivery log and redelivery, delete; viewers and issuers are refused, another org's
// ids answer 404.
import { beforeAll, describe, expect, it } from "vitest";
import { countRows, credentialBody, issue, makeAchievement } from "../test/api.ts";
import { invitedClient, ownerClient, type ConsoleClient, type OrgWithOwner } from "../test/console.ts";
import { drainWebhooks, hookUrl, received, webhookEnv } from "../test/webhooks.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
const env = webhookEnv();

const endpointPath = (body: string) => body.match(/href="(\/console\/settings\/webhooks\/[0-9a-f-]{36})"/)?.[1];

beforeAll(async () => {
  ({ org, owner } = await ownerClient("hooks"));
  owner.env = env;
}, 60_000);

describe("console webhooks", () => {
  it("refuses a private URL and an unknown event next to their fields, then adds the endpoint showing the secret once", async () => {
    await owner.get("/console/settings/webhooks");
    expect(owner.lastBody).toContain("No webhook endpoints yet.");
    const bad = await owner.post("/console/settings/webhooks", { url: "http://10.0.0.1/hook", events: "credential.exploded" });
    expect(bad.status).toBe(400);
    expect(owner.lastBody).toMatch(/id="f-url-error">This URL is not allowed: /);
    expect(owner.lastBody).toContain('id="f-events-error"');
    expect(await countRows("webhook_endpoints", "org_id = ?", [org.id])).toBe(0);
    const made = await owner.post("/console/settings/webhooks", { url: hookUrl("console-a"), events: "credential.issued", description: "Registrar" });
    expect(made.status).toBe(200);
    const secret = owner.lastBody.match(/<code class="secret">(whsec_[^<]+)<\/code>/)?.[1];
    expect(secret).toBeDefined();
    await owner.get("/console/settings/webhooks");
    expect(owner.lastBody).not.toContain(secret!);
    expect(owner.lastBody).toContain("Registrar");
  });

  it("edits, disables and enables, rotates the secret, and audits it all", async () => {
    await owner.get("/console/settings/webhooks");
    const path = endpointPath(owner.lastBody)!;
    await owner.get(path);
    const saved = await owner.post(path, { url: hookUrl("console-a"), events: "batch.completed", description: "Changed" });
    expect(saved.headers.get("location")).toBe(`${path}?done=saved`);
    await owner.get(path);
    expect(owner.lastBody).toMatch(/value="batch.completed" checked/);
    expect(owner.lastBody).not.toMatch(/value="credential.issued" checked/);
    expect((await owner.post(`${path}/disable`)).status).toBe(303);
    await owner.get(path);
    expect(owner.lastBody).toContain('<span class="status-revoked">Disabled</span>');
    expect((await owner.post(`${path}/enable`)).status).toBe(303);
    expect(env.WEBHOOKS.take().map((m) => m.body.type)).toEqual(["webhook.due"]); // the backlog resumes
    await owner.get(path);
    const rotated = await owner.post(`${path}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(owner.lastBody).toMatch(/<code class="secret">whsec_/);
    expect(owner.lastBody).toContain("also carries the previous secret");
    await owner.get("/console/settings/audit");
    for (const action of ["webhook.create", "webhook.update", "webhook.disable", "webhook.enable", "webhook.rotate-secret"]) expect(owner.lastBody).toContain(action);
  });

  it("sends a test event through the real consumer, logs it, and redelivers it", async () => {
    await owner.get("/console/settings/webhooks");
    const path = endpointPath(owner.lastBody)!;
    await owner.get(path);
    expect((await owner.post(`${path}/test`)).headers.get("location")).toBe(`${path}?done=test`);
    await drainWebhooks(env);
    expect((await received("console-a")).map((r) => JSON.parse(r.body).type)).toContain("webhook.test");
    await owner.get(path);
    expect(owner.lastBody).toMatch(/<tr id="delivery-[0-9a-f]+"><td>webhook.test/);
    expect(owner.lastBody).toContain('<span class="status-active">Delivered</span>');
    expect(owner.lastBody).toMatch(/<ol class="attempts"><li>[^<]+: 200, \d+ ms<\/li><\/ol>/);
    const redeliver = owner.lastBody.match(/action="([^"]+\/deliveries\/([0-9a-f]+)\/redeliver)"/)!;
    const again = await owner.post(redeliver[1]!);
    expect(again.headers.get("location")).toBe(`${path}?done=redelivered#delivery-${redeliver[2]}`);
    expect(env.WEBHOOKS.take().map((m) => m.body)).toMatchObject([{ type: "webhook.deliver", deliveryId: redeliver[2] }]);
  });

  it("refuses members who may not manage, and another org's endpoint ids", async () => {
    await owner.get("/console/settings/webhooks");
    const path = endpointPath(owner.lastBody)!;
    const { client: issuer } = await invitedClient(owner, "issuer");
    expect((await issuer.get("/console/settings/webhooks")).status).toBe(403);
    expect((await issuer.get(path)).status).toBe(403);
    await issuer.get("/console");
    expect((await issuer.post(`${path}/delete`)).status).toBe(403);
    const { owner: stranger } = await ownerClient("hooks-other");
    stranger.env = env;
    expect((await stranger.get(path)).status).toBe(404);
    await stranger.get("/console/settings/webhooks");
    for (const action of ["", "/disable", "/rotate-secret", "/test", "/delete", "/deliveries/x/redeliver"]) {
      expect((await stranger.post(`${path}${action}`, { url: hookUrl("stolen"), events: "batch.completed" })).status).toBe(404);
    }
    expect(await countRows("webhook_endpoints", "org_id = ? AND enabled = 1", [org.id])).toBe(1);
  }, 60_000); // two sign-ups: each hashes a password (PBKDF2, 600,000 iterations)

  it("a revocation in the console is delivered at once as credential.revoked, like one through the API", async () => {
    await owner.get("/console/settings/webhooks");
    const path = endpointPath(owner.lastBody)!;
    await owner.get(path);
    await owner.post(path, { url: hookUrl("console-revoked"), events: "credential.revoked" });
    const achievement = await makeAchievement(org);
    const { id } = (await (await issue(org, credentialBody(achievement.id))).json()) as { id: string };
    env.WEBHOOKS.take();
    await owner.get(`/console/credentials/${id}/revoke`);
    const revoked = await owner.post(`/console/credentials/${id}/revoke`, { reason: "Issued in error" });
    expect(revoked.headers.get("location")).toBe(`/console/credentials/${id}?done=revoked`);
    // The delivery is kicked now, not left to the every-minute sweep.
    const kicked = env.WEBHOOKS.take();
    expect(kicked.map((m) => m.body.type)).toEqual(["webhook.due"]);
    env.WEBHOOKS.sent.push(...kicked);
    await drainWebhooks(env);
    // (The endpoint also gets the redelivery left captured by the test above.)
    const delivery = (await received("console-revoked")).find((r) => JSON.parse(r.body).type === "credential.revoked");
    expect(JSON.parse(delivery!.body)).toMatchObject({ data: { credentialId: id, reason: "Issued in error" } });
    // The console request that revoked it, as for API revocations.
    expect(delivery!.headers["laurel-request-id"]).toBe(revoked.headers.get("x-request-id"));
  });

  it("deletes behind a confirmation page", async () => {
    await owner.get("/console/settings/webhooks");
    const path = endpointPath(owner.lastBody)!;
    expect((await owner.get(`${path}/delete`)).status).toBe(200);
    expect(owner.lastBody).toContain("Delete the endpoint");
    expect((await owner.post(`${path}/delete`)).headers.get("location")).toBe("/console/settings/webhooks?done=deleted");
    expect(await countRows("webhook_endpoints", "org_id = ?", [org.id])).toBe(0);
    expect((await owner.get(path)).status).toBe(404);
  });
});
