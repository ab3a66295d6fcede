// What the edge holds, as the database knows it: the version of each status list and issuer
// projection last published successfully. The database's own version (status_lists.version, bumped
// in every revocation's transaction; the org's key times) says what must be published, so a list
// or issuer whose recorded version is behind (or never recorded) is what the reconciler republishes.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";

/** Records that the edge holds the list at `version` or later (never moves backwards). */
export async function recordStatusListPublished(db: Database, listId: string, version: number): Promise<void> {
  await db.run(sql`
    UPDATE status_lists SET published_version = max(coalesce(published_version, -1), ${version}) WHERE id = ${listId}`);
}

/** Records that the edge holds the org's issuer projection at `version` or later. */
export async function recordIssuerPublished(db: Database, orgId: string, version: number): Promise<void> {
  await db.run(sql`
    UPDATE orgs SET issuer_published_version = max(coalesce(issuer_published_version, -1), ${version}) WHERE id = ${orgId}`);
}

/**
 * Up to `limit` status lists the edge lags behind: lists with a recorded version first (a change,
 * such as a revocation, that did not reach the edge), then lists never recorded (new lists, which
 * the edge can also fetch through its read-through RPC). Reads the partial index
 * status_lists_unpublished_idx (the WHERE must stay the index's).
 */
export async function statusListsBehind(db: Database, limit: number): Promise<string[]> {
  const result = await db.$client.execute({
    sql: `SELECT id FROM status_lists WHERE published_version IS NULL OR published_version < version
          ORDER BY published_version IS NULL, id LIMIT ?`,
    args: [limit],
  });
  return result.rows.map((r) => String(r.id));
}

/**
 * Up to `limit` orgs whose issuer projection version (the latest key creation, retirement or revocation time,
 * or Data Integrity key pairing time,
 * as loadIssuerProjection computes it) is ahead of the recorded one; changed orgs before never
 * recorded ones. A scan of orgs with one indexed lookup of signing_keys each.
 */
export async function issuersBehind(db: Database, limit: number): Promise<string[]> {
  const result = await db.$client.execute({
    sql: `SELECT o.id FROM orgs o
          WHERE coalesce(o.issuer_published_version, -1) <
                (SELECT max(max(k.created_at), coalesce(max(k.retired_at), 0), coalesce(max(k.revoked_at), 0), coalesce(max(k.di_created_at), 0)) FROM signing_keys k WHERE k.org_id = o.id)
          ORDER BY o.issuer_published_version IS NULL, o.id LIMIT ?`,
    args: [limit],
  });
  return result.rows.map((r) => String(r.id));
}
