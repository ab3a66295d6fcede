// Sign-in rate limiting, in the database so every isolate sees the same counts: failures are
// counted per account and per client in a fixed window; past the limit the key is locked for
// LOCK_MS. A lock on an account also stops its rightful owner for that time (the usual trade-off
// against password guessing); the sign-in page says so and for how long.
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { loginThrottle } from "../../db/schema/index.ts";

export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;
export const ACCOUNT_MAX_FAILURES = 5;
export const CLIENT_MAX_FAILURES = 20;

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}
export function clientKey(ip: string): string {
  return `client:${ip}`;
}

/** The later lock end of these keys, or null when none is locked now. */
export async function lockedUntil(db: Database, keys: string[], now = Date.now()): Promise<Date | null> {
  const rows = await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(inArray(loginThrottle.key, keys));
  let until: Date | null = null;
  for (const r of rows) if (r.lockedUntil && r.lockedUntil.getTime() > now && (!until || r.lockedUntil > until)) until = r.lockedUntil;
  return until;
}

/** Counts a failed sign-in against the key (one statement: a new window starts when the last one ended). */
export async function recordFailure(db: Database, key: string, maxFailures: number, now = Date.now()): Promise<void> {
  const windowOpen = sql`${loginThrottle.windowStart} > ${now - WINDOW_MS}`;
  const failures = sql`CASE WHEN ${windowOpen} THEN ${loginThrottle.failures} + 1 ELSE 1 END`;
  await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: new Date(now), lockedUntil: maxFailures <= 1 ? new Date(now + LOCK_MS) : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures,
        windowStart: sql`CASE WHEN ${windowOpen} THEN ${loginThrottle.windowStart} ELSE ${now} END`,
        lockedUntil: sql`CASE WHEN ${failures} >= ${maxFailures} THEN ${now + LOCK_MS} ELSE ${loginThrottle.lockedUntil} END`,
      },
    });
}

/** Forgets an account's failures after a successful sign-in. */
export async function clearFailures(db: Database, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
