// Resend's email events through the origin app: a signed bounce is recorded on the notification
// whose message it was (GET /v1/credentials/:id shows it); a bad signature or a replayed old event
// answers 401; unset secret, the route is off. Also: the issuance email shows the issuer's logo.
import { reset } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import type { OriginEnv } from "../../env.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { checkLogo, logoUrl, setLogo } from "../issuer-profile/logo.ts";
import { call, drain, newIssuer, testEnv } from "../../test/queue-fixtures.ts";
import { messagesTo, outboxMail, uniqueAddress } from "../../test/mail.ts";

afterEach(() => reset());

const SECRET = `whsec_${btoa("resend-webhook-test-secret-32by!")}`;
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

function signed(body: string, at = new Date(), secret = SECRET): RequestInit {
  const id = `msg_${crypto.randomUUID()}`;
  return {
    method: "POST",
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(Math.floor(at.getTime() / 1000)), "svix-signature": new Webhook(secret).sign(id, at, body) },
    body,
  };
}

describe("mail provider events", { timeout: 60_000 }, () => {
  it("record a signed bounce on the notification; refuse bad signatures and replays", async () => {
    const e = { ...testEnv(), ...outboxMail(), RESEND_WEBHOOK_SECRET: SECRET } as ReturnType<typeof testEnv> & OriginEnv;
    const issuer = await newIssuer("Bounce University");
    const logo = await setLogo(issuer.db, issuer.org.id, PNG, (await checkLogo(PNG)) as never);
    const email = uniqueAddress("bounce");
    const [issued] = await issueCredentials(e, { org: issuer.org, achievement: issuer.achievement, recipients: [{ name: "Ada", email }], requestId: "t" });
    const id = issued!.ok ? issued!.credentialId : "";
    await e.JOBS.send({ type: "credential.publish", credentialId: id, requestId: "t", fresh: true, card: "lazy" });
    await drain(e);
    const [message] = await messagesTo(email);
    expect(message!.html).toContain(`<img src="${logoUrl(e, logo)}"`); // a hosted URL, no data: URI
    const row = await issuer.db.$client.execute({ sql: "SELECT provider_message_id FROM notifications WHERE credential_id = ?", args: [id] });
    const providerId = String(row.rows[0]!.provider_message_id);

    const event = JSON.stringify({ type: "email.bounced", created_at: new Date().toISOString(), data: { email_id: providerId, bounce: { type: "Permanent", subType: "General" } } });
    const forged = signed(event, new Date(), `whsec_${btoa("another-secret-of-thirty-two-b!!")}`);
    const refused = await call(e, "/webhooks/resend", forged);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const replayed = await call(e, "/webhooks/resend", signed(event, new Date(Date.now() - 10 * 60_000)));
    expect(replayed.status).toBe(401);
    expect((await call(e, "/webhooks/resend", { method: "POST", body: event })).status).toBe(401);
    const before = await (await call(e, `/v1/credentials/${id}`, { apiKey: issuer.org.apiKey })).json();
    expect((before as { notifications: { status: string }[] }).notifications[0]!.status).toBe("sent");

    const delivered = await call(e, "/webhooks/resend", signed(JSON.stringify({ type: "email.delivered", data: { email_id: providerId } })));
    expect(delivered.status).toBe(200);
    expect((await call(e, "/webhooks/resend", signed(event))).status).toBe(200);
    const after = (await (await call(e, `/v1/credentials/${id}`, { apiKey: issuer.org.apiKey })).json()) as { notifications: { status: string; error?: string }[] };
    expect(after.notifications[0]).toMatchObject({ status: "bounced", error: "bounced: Permanent: General" });

    const off = await call({ ...e, RESEND_WEBHOOK_SECRET: undefined }, "/webhooks/resend", signed(event));
    expect(off.status).toBe(404);
  });
});
