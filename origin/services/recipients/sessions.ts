// Server-side wallet sessions. The cookie carries a random id; the row keeps its SHA-256, the
// email hash signed in, the CSRF token of the session's forms and the expiry.
import type { Database } from "../../db/client.ts";
import { newToken, sha256 } from "./email-hash.ts";

export const SESSION_TTL_MS = 12 * 3_600_000;

export interface WalletSession {
  emailHash: string;
  csrfToken: string;
}

/** Opens a session for `emailHash`; returns the cookie value. */
export async function openSession(db: Database, emailHash: string, now: number): Promise<string> {
  const { token, hash } = await newToken();
  const csrf = await newToken();
  await db.$client.execute({
    sql: "INSERT INTO wallet_sessions (session_hash, email_hash, csrf_token, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
    args: [hash, emailHash, csrf.token, now + SESSION_TTL_MS, now],
  });
  return token;
}

/** The live session of a cookie value, or null. */
export async function findSession(db: Database, cookie: string | undefined, now: number): Promise<WalletSession | null> {
  if (!cookie || cookie.length > 100) return null;
  const result = await db.$client.execute({
    sql: "SELECT email_hash, csrf_token FROM wallet_sessions WHERE session_hash = ? AND expires_at > ?",
    args: [await sha256(cookie), now],
  });
  const row = result.rows[0];
  return row ? { emailHash: String(row.email_hash), csrfToken: String(row.csrf_token) } : null;
}

/** Ends the session of a cookie value. */
export async function closeSession(db: Database, cookie: string): Promise<void> {
  await db.$client.execute({ sql: "DELETE FROM wallet_sessions WHERE session_hash = ?", args: [await sha256(cookie)] });
}
