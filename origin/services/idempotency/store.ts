// The idempotency_keys table: claim a key, complete it with the answer, release it, purge it.
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { idempotencyKeys } from "../../db/schema/index.ts";

/** Keys are kept at least this long (the contract's ≥ 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type ClaimOutcome =
  | { kind: "claimed"; createdAt: number }
  | { kind: "mismatch" }
  | { kind: "in_flight" }
  | { kind: "completed"; status: number; body: string };

/**
 * Tries to become the one request that runs for (org, key). The primary key makes the INSERT the
 * arbiter under any concurrency; an expired record is taken over atomically by the same statement.
 * Otherwise reports what the existing record says.
 */
export async function claimIdempotencyKey(db: Database, orgId: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = Date.now();
    const claimed = await db.$client.execute({
      sql: `INSERT INTO idempotency_keys (org_id, key, fingerprint, state, response_status, response_body, created_at, expires_at)
            VALUES (?, ?, ?, 'in_flight', NULL, NULL, ?, ?)
            ON CONFLICT (org_id, key) DO UPDATE SET
              fingerprint = excluded.fingerprint, state = 'in_flight', response_status = NULL, response_body = NULL,
              created_at = excluded.created_at, expires_at = excluded.expires_at
            WHERE idempotency_keys.expires_at <= excluded.created_at
            RETURNING created_at`,
      args: [orgId, key, fingerprint, now, now + IDEMPOTENCY_TTL_MS],
    });
    if (claimed.rows.length > 0) return { kind: "claimed", createdAt: now };
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)))
      .limit(1);
    if (!row) continue; // released between our INSERT and SELECT: try to claim again
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (row.state === "in_flight" || row.responseStatus == null || row.responseBody == null) return { kind: "in_flight" };
    return { kind: "completed", status: row.responseStatus, body: row.responseBody };
  }
  return { kind: "in_flight" };
}

/** What `idempotent()` claimed for the current request. */
export interface IdempotencyClaim {
  orgId: string;
  key: string;
  createdAt: number;
  /** Set by a handler whose transaction stored the answer (see completeIdempotencyKeyQuery). */
  completed: boolean;
}

/**
 * The statement storing the first answer, for a handler to run in the same `db.batch` (one
 * transaction) as its effect: the effect and the stored answer then commit together, so no repeat
 * ever sees the effect committed and the key still in flight. `onlyIf` guards it further (e.g. "the
 * row this answer names was inserted"); the caller checks rowsAffected === 1.
 */
export function completeIdempotencyKeyQuery(db: Database, claim: IdempotencyClaim, status: number, body: string, onlyIf?: SQL) {
  return db
    .update(idempotencyKeys)
    .set({ state: "completed", responseStatus: status, responseBody: body })
    .where(
      and(
        eq(idempotencyKeys.orgId, claim.orgId),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.createdAt, new Date(claim.createdAt)),
        eq(idempotencyKeys.state, "in_flight"),
        onlyIf,
      ),
    );
}

/** Stores the first answer so repeats replay it. */
export async function completeIdempotencyKey(db: Database, orgId: string, key: string, createdAt: number, status: number, body: string) {
  await db
    .update(idempotencyKeys)
    .set({ state: "completed", responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.createdAt, new Date(createdAt))));
}

/** Forgets our in-flight claim so the client may retry with the same key. */
export async function releaseIdempotencyKey(db: Database, orgId: string, key: string, createdAt: number) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.orgId, orgId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.state, "in_flight"),
        eq(idempotencyKeys.createdAt, new Date(createdAt)),
      ),
    );
}

/** Deletes expired records in bounded chunks (run from the scheduled handler). Returns how many went. */
export async function purgeExpiredIdempotencyKeys(db: Database, now = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.run(
      sql`DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at < ${now} LIMIT 1000)`,
    );
    total += result.rowsAffected;
    if (result.rowsAffected < 1000) return total;
  }
}

