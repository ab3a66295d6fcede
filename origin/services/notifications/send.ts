// notification.send: email the recipient about one credential (kind `issued` or `revoked`), at
// most once per notification instance. The row is claimed before the provider is called (two jobs
// for the same row: one claims, the other finds nothing to do), the outcome recorded after; the
// provider's idempotency key covers a crash between the two (the lease expires, the sweep
// re-enqueues, the same key is sent again and the provider, or the local outbox, sends nothing new).
import { credentialPageUrl } from "../../../shared/public-urls.ts";
import { linkedInAddToProfileUrl } from "../../../shared/linkedin.ts";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { MailSendError, mailSender } from "../mail/sender.ts";
import { publicBaseUrl } from "../publication/public-url.ts";
import { recipientEmailHash } from "../recipients/email-hash.ts";
import { createSignInToken } from "../recipients/sign-in-tokens.ts";
import { issuedNotice, revokedNotice } from "./content.ts";
import { unsubscribeUrl, walletSignInUrl } from "./links.ts";
import { credentialLogoUrl } from "../issuer-profile/credential-logo.ts";
import { claimNotification, markFailed, markSent, markSkipped, type NotificationKind } from "./store.ts";

export type SendOutcome = "sent" | "skipped" | "failed" | "retry-later" | "nothing-to-send";

interface Facts {
  orgId: string;
  orgName: string;
  recipientName: string;
  recipientEmail: string;
  achievementName: string;
  validFrom: string;
  validUntil: string | null;
  revoked: boolean;
  revocationReason: string | null;
  emailHash: string | null;
  optedOut: boolean;
  /** The issuer logo the credential was issued with (its issuer Profile's image), or null. */
  logoUrl: string | null;
}

async function loadFacts(db: Database, credentialId: string): Promise<Facts | null> {
  const result = await db.$client.execute({
    sql: `SELECT c.org_id, o.name AS org_name, c.recipient_name, c.recipient_email, a.name AS achievement_name, c.valid_from,
                 c.valid_until, c.status, c.revocation_reason, r.email_hash, c.jwt,
                 EXISTS (SELECT 1 FROM recipient_opt_outs AS x WHERE x.email_hash = r.email_hash AND x.org_id = c.org_id) AS opted_out
          FROM credentials AS c JOIN orgs AS o ON o.id = c.org_id JOIN achievements AS a ON a.id = c.achievement_id
          LEFT JOIN recipient_credentials AS r ON r.credential_id = c.id
          WHERE c.id = ?`,
    args: [credentialId],
  });
  const row = result.rows[0];
  if (!row) return null;
  return {
    orgId: String(row.org_id),
    orgName: String(row.org_name),
    recipientName: String(row.recipient_name),
    recipientEmail: String(row.recipient_email),
    achievementName: String(row.achievement_name),
    validFrom: String(row.valid_from),
    validUntil: row.valid_until == null ? null : String(row.valid_until),
    revoked: String(row.status) === "revoked",
    revocationReason: row.revocation_reason == null ? null : String(row.revocation_reason),
    emailHash: row.email_hash == null ? null : String(row.email_hash),
    optedOut: Number(row.opted_out) === 1,
    logoUrl: credentialLogoUrl(String(row.jwt)),
  };
}

/** A credential issued before the recipient index existed gets its row now (the wallet then finds it too). */
async function indexRecipient(db: Database, env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">, credentialId: string, email: string): Promise<string> {
  const hash = await recipientEmailHash(env.KEY_ENCRYPTION_SECRET, email);
  await db.$client.execute({
    sql: "INSERT INTO recipient_credentials (credential_id, email_hash) VALUES (?, ?) ON CONFLICT DO NOTHING",
    args: [credentialId, hash],
  });
  return hash;
}

/** Runs one notification.send job; throws (for a retry) only on infrastructure failure (database, settings). */
export async function runNotificationSend(env: OriginEnv, job: { credentialId: string; kind: NotificationKind }, log: Logger): Promise<SendOutcome> {
  const db = database(env);
  const mail = mailSender(env); // a broken mail setting throws here, before anything is claimed
  const now = Date.now();
  const claim = await claimNotification(db, job.credentialId, job.kind, now);
  if (!claim) return "nothing-to-send";
  if (!mail) {
    await markSkipped(db, claim, "mail not configured");
    return "skipped";
  }
  const facts = await loadFacts(db, job.credentialId);
  if (!facts) {
    await markFailed(db, claim, "credential not found", true, now);
    return "failed";
  }
  if (job.kind === "issued" && facts.revoked) {
    // Revoked before its issuance notice went out: the revocation notice (if any) says what matters.
    await markSkipped(db, claim, "credential revoked before the notice was sent");
    return "skipped";
  }
  if (facts.optedOut) {
    await markSkipped(db, claim, "recipient unsubscribed");
    return "skipped";
  }
  const emailHash = facts.emailHash ?? (await indexRecipient(db, env, job.credentialId, facts.recipientEmail));
  const base = publicBaseUrl(env);
  const verifyUrl = credentialPageUrl(base, job.credentialId);
  const token = await createSignInToken(db, emailHash, "notification", now);
  const unsubscribe = await unsubscribeUrl(env, facts.orgId, emailHash);
  const noticeFacts = {
    orgName: facts.orgName,
    logoUrl: facts.logoUrl,
    recipientName: facts.recipientName,
    achievementName: facts.achievementName,
    verifyUrl,
    linkedInUrl: linkedInAddToProfileUrl({
      name: facts.achievementName,
      organizationName: facts.orgName,
      issued: facts.validFrom,
      expires: facts.validUntil ?? undefined,
      certUrl: verifyUrl,
      certId: job.credentialId,
    }),
    walletSignInUrl: walletSignInUrl(env, token),
    unsubscribeUrl: unsubscribe,
    ...(facts.revocationReason ? { revocationReason: facts.revocationReason } : {}),
  };
  const letter = job.kind === "issued" ? issuedNotice(noticeFacts) : revokedNotice(noticeFacts);
  try {
    const sent = await mail.sender.send({
      to: facts.recipientEmail,
      from: { name: facts.orgName, address: mail.from },
      ...letter,
      // RFC 2369 and RFC 8058: one-click unsubscribe from this org's notices (both kinds allow it).
      headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      idempotencyKey: `notification/${job.credentialId}/${job.kind}/${claim.resends}`,
    });
    await markSent(db, claim, sent.providerMessageId, Date.now());
    return "sent";
  } catch (error) {
    if (!(error instanceof MailSendError)) throw error;
    await markFailed(db, claim, error.message, error.permanent, Date.now());
    // No address or content in the log: the provider's status and error name only.
    log.warn("notification not sent", { credentialId: job.credentialId, kind: job.kind, error: error.message, permanent: error.permanent, attempt: claim.attempts });
    return error.permanent ? "failed" : "retry-later";
  }
}
