// The credential publication outbox (table credential_publications): which credential projections
// must reach KV at which version. Rows are written in the transaction of the change itself, so a
// lost queue job can never lose a publication: the queue is the fast path (credential.publish
// deletes the row), the scheduled reconciler (reconcile.ts) publishes what is left.
import type { InStatement } from "@libsql/client/web";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";

/** How long the queue has to publish before the reconciler takes a row over (it lags ~1 s when healthy). */
export const QUEUE_GRACE_MS = 30_000;

/** Delay before the reconciler retries a row it failed to publish: 1, 2, 4 … minutes, at most an hour. */
export function reconcileBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts), 3_600_000);
}

/**
 * For single issuance's insert transaction (a client-level statement, see issuance/store.ts): the
 * projections of these new credentials are wanted at their issue time. Ids whose insert lost its
 * status slot have no row and get none.
 */
export function wantIssuedPublished(ids: readonly string[], now: number): InStatement {
  return {
    sql: `INSERT INTO credential_publications (credential_id, version, due_at)
          SELECT id, issued_at, ? FROM credentials WHERE id IN (SELECT value FROM json_each(?))
          ON CONFLICT DO NOTHING`,
    args: [now + QUEUE_GRACE_MS, JSON.stringify(ids)],
  };
}

/**
 * For the revocation transaction: the revoked credential's projection is wanted at least at its
 * revocation time. Also on a repeated revocation (a no-op when the row is still there).
 */
export function wantRevokedPublished(db: Database, orgId: string, id: string, now: number) {
  return db.run(sql`
    INSERT INTO credential_publications (credential_id, version, due_at)
    SELECT id, revoked_at, ${now + QUEUE_GRACE_MS} FROM credentials
    WHERE org_id = ${orgId} AND id = ${id} AND status = 'revoked' AND revoked_at IS NOT NULL
    ON CONFLICT (credential_id) DO UPDATE SET
      version = max(credential_publications.version, excluded.version),
      due_at = min(credential_publications.due_at, excluded.due_at)`);
}

/** Deletes the rows these publications satisfied (a row wanting a later version stays). */
export async function clearPublished(db: Database, published: readonly { credentialId: string; version: number }[]): Promise<void> {
  if (published.length === 0) return;
  const pairs = JSON.stringify(published.map((p) => [p.credentialId, p.version]));
  await db.run(sql`
    DELETE FROM credential_publications
    WHERE credential_id IN (SELECT value ->> 0 FROM json_each(${pairs}))
      AND version <= (SELECT value ->> 1 FROM json_each(${pairs}) WHERE value ->> 0 = credential_id)`);
}

/** Makes these rows due at once (their queue job could not be sent): the next reconciler run takes them first. */
export async function markDueNow(db: Database, credentialIds: readonly string[]): Promise<void> {
  if (credentialIds.length === 0) return;
  await db.run(sql`UPDATE credential_publications SET due_at = 0 WHERE credential_id IN (SELECT value FROM json_each(${JSON.stringify(credentialIds)}))`);
}

export interface DuePublication {
  credentialId: string;
  version: number;
  attempts: number;
}

/** Up to `limit` rows due at `now`, the longest due first. */
export async function duePublications(db: Database, now: number, limit: number): Promise<DuePublication[]> {
  const result = await db.$client.execute({
    sql: "SELECT credential_id, version, attempts FROM credential_publications WHERE due_at <= ? ORDER BY due_at, credential_id LIMIT ?",
    args: [now, limit],
  });
  return result.rows.map((r) => ({ credentialId: String(r.credential_id), version: Number(r.version), attempts: Number(r.attempts) }));
}

/** Drops rows that can never be published (their credential does not exist). */
export async function dropPublications(db: Database, credentialIds: readonly string[]): Promise<void> {
  if (credentialIds.length === 0) return;
  await db.run(sql`DELETE FROM credential_publications WHERE credential_id IN (SELECT value FROM json_each(${JSON.stringify(credentialIds)}))`);
}

/** Records a failed attempt: the row falls due again after a backoff. */
export async function deferPublication(db: Database, row: DuePublication, error: unknown, now: number): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  await db.run(sql`
    UPDATE credential_publications SET attempts = attempts + 1, due_at = ${now + reconcileBackoffMs(row.attempts)}, last_error = ${message}
    WHERE credential_id = ${row.credentialId}`);
}
