// Recipient notifications end to end inside workerd: issuance → publication → notification.send
// through the real consumer, the real libSQL engine and the test run's real mail outbox server.
import { afterEach, describe, expect, it } from "vitest";
import { reset } from "cloudflare:test";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { createAchievement } from "../achievements/achievements.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { call, deliver, drain, newIssuer, testEnv } from "../../test/queue-fixtures.ts";
import { messagesTo, outboxMail, uniqueAddress } from "../../test/mail.ts";
import { setNotifyOnRevocation } from "./org-settings.ts";

afterEach(() => reset());

function mailEnv() {
  return { ...testEnv(), ...outboxMail() } as ReturnType<typeof testEnv>;
}

async function issueOne(e: OriginEnv, issuer: Awaited<ReturnType<typeof newIssuer>>, email: string, achievement = issuer.achievement) {
  const [result] = await issueCredentials(e, { org: issuer.org, achievement, recipients: [{ name: "Ada Lovelace", email }], requestId: "test" });
  if (!result?.ok) throw new Error("issuance failed");
  await e.JOBS.send({ type: "credential.publish", credentialId: result.credentialId, requestId: "test", fresh: true, card: "lazy" });
  return result.credentialId;
}

async function notificationsOf(e: OriginEnv, apiKey: string, id: string) {
  const res = await call(e, `/v1/credentials/${id}`, { apiKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as { notifications: { kind: string; status: string; resends: number; sentAt: string | null; error?: string }[] }).notifications;
}

describe("issuance notification", { timeout: 60_000 }, () => {
  it("is sent once the credential is published: one .eml with the verify, LinkedIn, wallet and unsubscribe links", async () => {
    const e = mailEnv();
    const issuer = await newIssuer("Notify University");
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email);
    expect(await messagesTo(email)).toHaveLength(0); // not before publication
    const delivered = await drain(e);
    expect(delivered.map((j) => j.type)).toEqual(["credential.publish", "notification.send"]);

    const [message, ...more] = await messagesTo(email);
    expect(more).toHaveLength(0);
    expect(message!.subject).toContain("Intro to Distributed Systems");
    expect(message!.from).toContain("Notify University");
    expect(message!.from).toContain("notifications@laurel.test");
    expect(message!.text).toContain(`https://verify.example.test/c/${id}`);
    expect(message!.text).toContain("https://www.linkedin.com/profile/add?");
    expect(message!.text).toMatch(/https:\/\/origin\.test\/wallet\/sign-in\?token=[\w-]{43}/);
    expect(message!.html).toContain('lang="en"');
    expect(message!.html).toContain(`https://verify.example.test/c/${id}`);
    expect(message!.listUnsubscribe).toContain("https://origin.test/unsubscribe?");
    expect(message!.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");

    expect(await notificationsOf(e, issuer.org.apiKey, id)).toEqual([
      { kind: "issued", status: "sent", attempts: 1, resends: 0, sentAt: expect.stringMatching(/^\d{4}-/) },
    ]);
  });

  it("is not sent twice when its job is delivered again, or twice at once", async () => {
    const e = mailEnv();
    const issuer = await newIssuer();
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email);
    await drain(e);
    expect(await messagesTo(email)).toHaveLength(1);
    const job: Job = { type: "notification.send", credentialId: id, kind: "issued", requestId: "redelivery" };
    await deliver(e, [job]);
    await Promise.all([deliver(e, [job]), deliver(e, [job])]);
    expect(await messagesTo(email)).toHaveLength(1);
  });

  it("two concurrent first deliveries send one message (the claim)", async () => {
    const e = mailEnv();
    const issuer = await newIssuer();
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email);
    await drain(e, (j) => j.type === "credential.publish");
    const job: Job = { type: "notification.send", credentialId: id, kind: "issued", requestId: "race" };
    await Promise.all([deliver(e, [job]), deliver(e, [job]), deliver(e, [job])]);
    expect(await messagesTo(email)).toHaveLength(1);
  });

  it("is recorded as skipped when mail is not configured", async () => {
    const e = testEnv();
    const issuer = await newIssuer();
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email);
    await drain(e);
    const rows = await database(e).$client.execute({ sql: "SELECT status, last_error FROM notifications WHERE credential_id = ?", args: [id] });
    expect(rows.rows.map((r) => [r.status, r.last_error])).toEqual([["skipped", "mail not configured"]]);
    expect(await messagesTo(email)).toHaveLength(0);
  });

  it("is not written for an achievement with notifyRecipients false", async () => {
    const e = mailEnv();
    const issuer = await newIssuer();
    const quiet = await createAchievement(issuer.db, issuer.org.id, { name: "Quiet", description: "d", criteria: { narrative: "n" }, notifyRecipients: false });
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email, quiet);
    await drain(e);
    const rows = await database(e).$client.execute({ sql: "SELECT count(*) AS n FROM notifications WHERE credential_id = ?", args: [id] });
    expect(Number(rows.rows[0]!.n)).toBe(0);
    expect(await messagesTo(email)).toHaveLength(0);
  });

  it("a batch slice writes one message per recipient, and running the slice again writes none more", async () => {
    const e = mailEnv();
    const issuer = await newIssuer();
    const tag = crypto.randomUUID().slice(0, 8);
    const recipients = Array.from({ length: 5 }, (_, i) => ({ name: `R${i}`, email: `b${i}-${tag}@example.edu`, batchId: `batch-${tag}`, batchRow: i + 1 }));
    const results = await issueCredentials(e, { org: issuer.org, achievement: issuer.achievement, recipients, requestId: "t", inSet: true });
    const ids = results.flatMap((r) => (r.ok ? [r.credentialId] : []));
    expect(ids).toHaveLength(5);
    const { enqueuePendingNotifications } = await import("./enqueue.ts");
    await enqueuePendingNotifications(e, ids, "t", { warn() {} } as never);
    await drain(e);
    for (const r of recipients) expect(await messagesTo(r.email)).toHaveLength(1);
    // Again: every notification is sent, nothing is pending, nothing is enqueued.
    expect(await enqueuePendingNotifications(e, ids, "t", { warn() {} } as never)).toBe(0);
    for (const r of recipients) expect(await messagesTo(r.email)).toHaveLength(1);
  });
});

describe("revocation notice", { timeout: 60_000 }, () => {
  it("tells the recipient with the reason; an org that turned it off sends none", async () => {
    const e = mailEnv();
    const issuer = await newIssuer("Revoking College");
    const email = uniqueAddress();
    const id = await issueOne(e, issuer, email);
    await drain(e);
    await revokeCredential(issuer.db, issuer.org.id, id, "Issued to the wrong person");
    await e.JOBS.send({ type: "credential.publish", credentialId: id, requestId: "t" });
    await drain(e);
    const messages = await messagesTo(email);
    expect(messages).toHaveLength(2);
    const notice = messages.find((m) => m.subject.includes("revoked"))!;
    expect(notice.text).toContain("Reason given: Issued to the wrong person");

    const other = await newIssuer("Silent College");
    await setNotifyOnRevocation(other.db, other.org.id, false);
    const email2 = uniqueAddress();
    const id2 = await issueOne(e, other, email2);
    await drain(e);
    await revokeCredential(other.db, other.org.id, id2, "Mistake");
    await e.JOBS.send({ type: "credential.publish", credentialId: id2, requestId: "t" });
    await drain(e);
    expect((await messagesTo(email2)).map((m) => m.subject)).toEqual([expect.stringContaining("issued you")]);
  });
});
