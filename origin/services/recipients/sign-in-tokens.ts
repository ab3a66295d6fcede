// One-time wallet sign-in links. The link carries a random token; the database keeps only its
// SHA-256, bound to the email hash it was made for. Redeeming marks it used in the same UPDATE
// that checks it, so a link works once even when opened twice at the same moment.
import type { Database } from "../../db/client.ts";
import { newToken, sha256 } from "./email-hash.ts";

/** Links in notification emails: the email may be read days later. */
export const NOTIFICATION_LINK_TTL_MS = 7 * 24 * 3_600_000;
/** Links the recipient asked for on /wallet: they are waiting for it now. */
export const REQUESTED_LINK_TTL_MS = 30 * 60_000;

/** Stores a new sign-in token for `emailHash`; returns the token for the link. */
export async function createSignInToken(
  db: Database,
  emailHash: string,
  purpose: "notification" | "requested",
  now: number,
  clientHash: string | null = null,
): Promise<string> {
  const { token, hash } = await newToken();
  const ttl = purpose === "notification" ? NOTIFICATION_LINK_TTL_MS : REQUESTED_LINK_TTL_MS;
  await db.$client.execute({
    sql: "INSERT INTO wallet_sign_in_tokens (token_hash, email_hash, purpose, client_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    args: [hash, emailHash, purpose, clientHash, now + ttl, now],
  });
  return token;
}

/** The email hash of an unused, unexpired token, marking it used; null otherwise. */
export async function redeemSignInToken(db: Database, token: string, now: number): Promise<string | null> {
  if (token.length === 0 || token.length > 100) return null;
  const result = await db.$client.execute({
    sql: "UPDATE wallet_sign_in_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING email_hash",
    args: [now, await sha256(token)],
  });
  const row = result.rows[0];
  return row ? String(row.email_hash) : null;
}

/** Requested links in the window, for this address and for this client (the sign-in form's rate limits). */
export async function recentRequests(db: Database, emailHash: string, clientHash: string, since: number): Promise<{ forEmail: number; forClient: number }> {
  const result = await db.$client.execute({
    sql: `SELECT
            (SELECT count(*) FROM wallet_sign_in_tokens WHERE email_hash = ?1 AND created_at >= ?3 AND purpose = 'requested') AS for_email,
            (SELECT count(*) FROM wallet_sign_in_tokens WHERE client_hash = ?2 AND created_at >= ?3) AS for_client`,
    args: [emailHash, clientHash, since],
  });
  const row = result.rows[0]!;
  return { forEmail: Number(row.for_email), forClient: Number(row.for_client) };
}

/** Deletes tokens expired before `now` (the scheduled sweep). */
export async function purgeExpiredSignIns(db: Database, now: number): Promise<number> {
  const tokens = await db.$client.execute({ sql: "DELETE FROM wallet_sign_in_tokens WHERE expires_at < ?", args: [now] });
  const sessions = await db.$client.execute({ sql: "DELETE FROM wallet_sessions WHERE expires_at < ?", args: [now] });
  return tokens.rowsAffected + sessions.rowsAffected;
}
