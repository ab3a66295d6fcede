// The notifications table (db/schema/notifications.ts): claim before sending, record the outcome,
// find what is pending. Every state change is one conditional UPDATE, so two jobs for the same
// (credential, kind) can never both send: only one claim matches `pending`.
import type { Database } from "../../db/client.ts";

export type NotificationKind = "issued" | "revoked";
export type NotificationStatus = "pending" | "sending" | "sent" | "failed" | "bounced" | "complained" | "skipped";

/** How long the queue has (after publication) before the scheduled sweep enqueues a pending row. */
export const SWEEP_GRACE_MS = 120_000;
/** How long a claiming job owns a row; a job that died sending is taken over after it. */
export const SEND_LEASE_MS = 60_000;
/** Attempts before a row that keeps failing transiently is `failed`. */
export const MAX_SEND_ATTEMPTS = 8;

/** Delay before retrying a transient failure: 1, 2, 4 … minutes, at most an hour. */
export function sendBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface Claim {
  credentialId: string;
  kind: NotificationKind;
  attempts: number;
  resends: number;
}

/** Takes the row for sending (pending, or sending with an expired lease); null when there is nothing to send. */
export async function claimNotification(db: Database, credentialId: string, kind: NotificationKind, now: number): Promise<Claim | null> {
  const result = await db.$client.execute({
    sql: `UPDATE notifications SET status = 'sending', lease_until = ?1, attempts = attempts + 1
          WHERE credential_id = ?2 AND kind = ?3 AND (status = 'pending' OR (status = 'sending' AND lease_until < ?4))
          RETURNING attempts, resends`,
    args: [now + SEND_LEASE_MS, credentialId, kind, now],
  });
  const row = result.rows[0];
  return row ? { credentialId, kind, attempts: Number(row.attempts), resends: Number(row.resends) } : null;
}

async function finish(db: Database, claim: Claim, sql: string, args: (string | number | null)[]): Promise<void> {
  // Only the holder of the claim (same resend instance, still sending) may record its outcome.
  await db.$client.execute({
    sql: `${sql} WHERE credential_id = ? AND kind = ? AND status = 'sending' AND resends = ?`,
    args: [...args, claim.credentialId, claim.kind, claim.resends],
  });
}

export function markSent(db: Database, claim: Claim, providerMessageId: string, now: number): Promise<void> {
  return finish(db, claim, "UPDATE notifications SET status = 'sent', sent_at = ?, provider_message_id = ?, last_error = NULL, lease_until = NULL", [
    now,
    providerMessageId,
  ]);
}

/** A permanent failure, or a transient one past MAX_SEND_ATTEMPTS: `failed`; otherwise back to pending after a backoff. */
export function markFailed(db: Database, claim: Claim, error: string, permanent: boolean, now: number): Promise<void> {
  const final = permanent || claim.attempts >= MAX_SEND_ATTEMPTS;
  return finish(db, claim, "UPDATE notifications SET status = ?, last_error = ?, lease_until = NULL, due_at = ?", [
    final ? "failed" : "pending",
    error.slice(0, 300),
    now + sendBackoffMs(claim.attempts),
  ]);
}

/** Nothing will be sent for this instance (mail not configured, the recipient opted out). */
export function markSkipped(db: Database, claim: Claim, reason: string): Promise<void> {
  return finish(db, claim, "UPDATE notifications SET status = 'skipped', last_error = ?, lease_until = NULL", [reason]);
}

/** Pending notifications of these credentials (to enqueue once they are published). */
export async function pendingNotifications(db: Database, credentialIds: readonly string[]): Promise<{ credentialId: string; kind: NotificationKind }[]> {
  if (credentialIds.length === 0) return [];
  const result = await db.$client.execute({
    sql: "SELECT credential_id, kind FROM notifications WHERE status = 'pending' AND credential_id IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify(credentialIds)],
  });
  return result.rows.map((r) => ({ credentialId: String(r.credential_id), kind: String(r.kind) as NotificationKind }));
}

/**
 * Up to `limit` notifications the sweep should enqueue: pending and due, or sending with an
 * expired lease; and only once their credential is published (no publication outbox row left,
 * and a batch credential's row marked issued), so the email's links work.
 */
export async function dueNotifications(db: Database, now: number, limit: number): Promise<{ credentialId: string; kind: NotificationKind }[]> {
  const result = await db.$client.execute({
    sql: `SELECT n.credential_id, n.kind FROM notifications AS n JOIN credentials AS c ON c.id = n.credential_id
          WHERE ((n.status = 'pending' AND n.due_at <= ?1) OR (n.status = 'sending' AND n.lease_until < ?1))
            AND NOT EXISTS (SELECT 1 FROM credential_publications AS p WHERE p.credential_id = n.credential_id)
            AND (c.batch_id IS NULL OR EXISTS (SELECT 1 FROM batch_rows AS b WHERE b.batch_id = c.batch_id AND b.row = c.batch_row AND b.state = 'issued'))
          ORDER BY n.due_at LIMIT ?2`,
    args: [now, limit],
  });
  return result.rows.map((r) => ({ credentialId: String(r.credential_id), kind: String(r.kind) as NotificationKind }));
}

/** The notification status a credential's API view shows. */
export interface NotificationView {
  kind: NotificationKind;
  status: NotificationStatus;
  attempts: number;
  resends: number;
  sentAt: string | null;
  error?: string;
}

/** Every notification of a credential, oldest first. */
export async function notificationsOf(db: Database, credentialId: string): Promise<NotificationView[]> {
  const result = await db.$client.execute({
    sql: "SELECT kind, status, attempts, resends, sent_at, last_error FROM notifications WHERE credential_id = ? ORDER BY created_at, kind",
    args: [credentialId],
  });
  return result.rows.map((r) => ({
    kind: String(r.kind) as NotificationKind,
    status: String(r.status) as NotificationStatus,
    attempts: Number(r.attempts),
    resends: Number(r.resends),
    sentAt: r.sent_at == null ? null : new Date(Number(r.sent_at)).toISOString(),
    ...(r.last_error == null ? {} : { error: String(r.last_error) }),
  }));
}

/**
 * A resend: the notification matching the credential's status (`revoked` once revoked, else
 * `issued`) goes back to pending as a new instance (resends + 1, attempts 0). A row already pending
 * or sending is left as it is (the send under way is the resend). Returns the kind, or null when
 * the credential is not the org's. Due at once: the credential is published already.
 */
export async function requestResend(db: Database, orgId: string, credentialId: string, now: number): Promise<NotificationKind | null> {
  const result = await db.$client.execute({
    sql: `INSERT INTO notifications (credential_id, kind, org_id, status, due_at)
          SELECT id, CASE status WHEN 'revoked' THEN 'revoked' ELSE 'issued' END, org_id, 'pending', ?3
          FROM credentials WHERE org_id = ?1 AND id = ?2
          ON CONFLICT (credential_id, kind) DO UPDATE SET status = 'pending', attempts = 0, resends = resends + 1,
            last_error = NULL, lease_until = NULL, due_at = excluded.due_at
          WHERE notifications.status NOT IN ('pending', 'sending')
          RETURNING kind`,
    args: [orgId, credentialId, now],
  });
  if (result.rows[0]) return String(result.rows[0].kind) as NotificationKind;
  // Nothing changed: unknown credential, or its notification is already on its way.
  const existing = await db.$client.execute({
    sql: "SELECT CASE status WHEN 'revoked' THEN 'revoked' ELSE 'issued' END AS kind FROM credentials WHERE org_id = ? AND id = ?",
    args: [orgId, credentialId],
  });
  return existing.rows[0] ? (String(existing.rows[0].kind) as NotificationKind) : null;
}
