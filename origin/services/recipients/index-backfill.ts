// Backfill of the recipient index (`recipient_credentials`) for credentials issued before it
// existed (migration 0009 added it; issuance has written a row in each credential's transaction
// since). Everything can be backfilled: `credentials.recipient_email` holds each address (lower-
// cased, private to the issuing org), so the keyed hash is computed exactly as issuance computes it.
// Bounded and resumable: each scheduled run takes the next BACKFILL_CHUNK credentials in primary-key
// order after the stored cursor; once a run finds fewer, the backfill is finished and later runs
// cost one read.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { recipientEmailHash } from "./email-hash.ts";
import { republishNames } from "./wallet.ts";

export const BACKFILL_NAME = "recipient-index";
/** Credentials per run (one read, one insert: a few hundred HMACs). */
export const BACKFILL_CHUNK = 500;

export interface BackfillRun {
  scanned: number;
  indexed: number;
  finished: boolean;
}

/** One step of the backfill; safe to run concurrently or again (inserts ignore existing rows, the cursor only moves forward). */
export async function backfillRecipientIndex(env: OriginEnv, requestId: string, log: Logger, chunk = BACKFILL_CHUNK): Promise<BackfillRun> {
  const db = database(env);
  const state = await db.$client.execute({ sql: "SELECT cursor, finished_at FROM backfills WHERE name = ?", args: [BACKFILL_NAME] });
  const row = state.rows[0];
  if (row && row.finished_at != null) return { scanned: 0, indexed: 0, finished: true };
  const cursor = row ? String(row.cursor) : "";

  // Every credential in key order after the cursor, indexed or not: each run reads at most `chunk` rows.
  const page = await db.$client.execute({
    sql: `SELECT c.id, c.recipient_email, EXISTS (SELECT 1 FROM recipient_credentials AS r WHERE r.credential_id = c.id) AS indexed
          FROM credentials AS c WHERE c.id > ? ORDER BY c.id LIMIT ?`,
    args: [cursor, chunk],
  });
  const missing = await Promise.all(
    page.rows
      .filter((r) => Number(r.indexed) === 0)
      .map(async (r) => [String(r.id), await recipientEmailHash(env.KEY_ENCRYPTION_SECRET, String(r.recipient_email))] as const),
  );
  const next = page.rows.length > 0 ? String(page.rows[page.rows.length - 1]!.id) : cursor;
  const finished = page.rows.length < chunk;
  const results = await db.$client.batch(
    [
      {
        sql: `INSERT INTO recipient_credentials (credential_id, email_hash)
              SELECT r.value ->> 0, r.value ->> 1 FROM json_each(?) AS r WHERE true ON CONFLICT DO NOTHING`,
        args: [JSON.stringify(missing)],
      },
      {
        sql: `INSERT INTO backfills (name, cursor, processed, finished_at) VALUES (?1, ?2, ?3, ?4)
              ON CONFLICT (name) DO UPDATE SET cursor = max(backfills.cursor, ?2), processed = backfills.processed + ?3, finished_at = coalesce(backfills.finished_at, ?4)`,
        args: [BACKFILL_NAME, next, missing.length, finished ? Date.now() : null],
      },
      // Recipients who withheld their name before these credentials were indexed: their pages must say so.
      {
        sql: `SELECT r.credential_id FROM recipient_credentials AS r JOIN recipient_preferences AS p ON p.email_hash = r.email_hash
              WHERE p.hide_name = 1 AND r.credential_id IN (SELECT value ->> 0 FROM json_each(?))`,
        args: [JSON.stringify(missing)],
      },
    ],
    "write",
  );
  const withheld = results[2]!.rows.map((r) => String(r.credential_id));
  if (withheld.length > 0) await republishNames(env, db, withheld, requestId, log);
  return { scanned: page.rows.length, indexed: results[0]!.rowsAffected, finished };
}
