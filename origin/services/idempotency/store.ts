// The idempotency_keys table: claim a key, complete it with the answer, release it, purge it.
import type { InStatement, InValue } from "@libsql/client/web";
import { and, eq, sql } from "drizzle-orm";
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
 * How long an unfinished claim holds its key. A request whose database calls timed out may leave
 * its claim "in_flight" (the server can even apply the claim after the client gave up); past this
 * lease another request with the key may take the claim over, so a key is never stuck for the
 * 24 h the record is kept. Taking over is safe however long the first request still runs: its
 * answer commits only while it still holds the claim (completeIdempotencyKeyStatement), so its effect
 * rolls back instead of committing a second time.
 */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 15_000;

/**
 * Tries to become the one request that runs for (org, key). The primary key makes the INSERT the
 * arbiter under any concurrency; an expired, released or abandoned (lease over) record is taken over
 * atomically by the same statement. Otherwise reports what the existing record says.
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
               OR idempotency_keys.state = 'released'
               OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.created_at <= ?)
            RETURNING created_at`,
      args: [orgId, key, fingerprint, now, now + IDEMPOTENCY_TTL_MS, now - IDEMPOTENCY_CLAIM_LEASE_MS],
    });
    if (claimed.rows.length > 0) return { kind: "claimed", createdAt: now };
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)))
      .limit(1);
    if (!row || row.state === "released") continue; // released between our INSERT and SELECT: try to claim again
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
}

/** An answer stored for replay. */
export interface StoredAnswer {
  status: number;
  body: string;
}

/**
 * The statement storing the first answer, for a caller to run in the same libSQL batch (one
 * transaction) as its effect: the effect and the stored answer then commit together, so no repeat
 * ever sees the effect committed and the key still in flight. `onlyIf` (an SQL condition with its
 * arguments) guards it further, e.g. "the row this answer names was inserted"; the answer is stored
 * when the statement's rowsAffected is 1.
 *
 * If the claim is no longer ours (released after a failure, or taken over once its lease ran out)
 * the statement fails, which rolls the whole transaction back: a late effect never commits beside
 * the one a retry made. SQLite has no RAISE outside triggers, so the failure is a deliberate
 * "malformed JSON" error from json() on a text that can never be JSON ('{,' + key).
 */
export function completeIdempotencyKeyStatement(
  claim: IdempotencyClaim,
  answer: StoredAnswer,
  onlyIf: { sql: string; args: InValue[] } = { sql: "1", args: [] },
): InStatement {
  return {
    sql: `UPDATE idempotency_keys SET state = 'completed', response_status = ?, response_body = ?
          WHERE org_id = ? AND key = ?
            AND (CASE WHEN created_at = ? AND state = 'in_flight' THEN (${onlyIf.sql}) ELSE json('{,' || key) END)`,
    args: [answer.status, answer.body, claim.orgId, claim.key, claim.createdAt, ...onlyIf.args],
  };
}

/**
 * Un-stores an answer that committed with an effect the handler then had to undo (a batch whose
 * jobs could not be queued): the key is released, so a retry runs afresh. Run it in the undoing
 * transaction. A claim taken over meanwhile is left alone.
 */
export function reopenIdempotencyKeyStatement(claim: IdempotencyClaim): InStatement {
  return {
    sql: `UPDATE idempotency_keys SET state = 'released', response_status = NULL, response_body = NULL
          WHERE org_id = ? AND key = ? AND created_at = ?`,
    args: [claim.orgId, claim.key, claim.createdAt],
  };
}

/** Whether the claim made at `createdAt` still holds the key (not taken over by a retry after its lease). */
export async function holdsClaim(db: Database, orgId: string, key: string, createdAt: number): Promise<boolean> {
  const [row] = await db
    .select({ createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row?.createdAt.getTime() === createdAt;
}

/** Stores the first answer so repeats replay it. */
export async function completeIdempotencyKey(db: Database, orgId: string, key: string, createdAt: number, status: number, body: string) {
  await db
    .update(idempotencyKeys)
    .set({ state: "completed", responseStatus: status, responseBody: body })
    .where(
      and(
        eq(idempotencyKeys.orgId, orgId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.createdAt, new Date(createdAt)),
        eq(idempotencyKeys.state, "in_flight"),
      ),
    );
}

/**
 * Gives up our in-flight claim so the client may retry with the same key. The record stays, marked
 * "released" (a retry takes it over), rather than being deleted: a late write of this attempt that
 * the database applies afterwards then still finds the claim gone and rolls back.
 */
export async function releaseIdempotencyKey(db: Database, orgId: string, key: string, createdAt: number) {
  await db
    .update(idempotencyKeys)
    .set({ state: "released" })
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

