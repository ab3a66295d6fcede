// Writing issued credentials and finding ones already issued for batch rows. Plain SQL rather than
// drizzle's builder: the batch consumer writes 125 rows of 14 columns per call, and a workerd CPU
// profile of a 5,000-row batch showed drizzle's query building at about a quarter of the
// consumer's thread, and the client's encoding of each bound value at another sixth. Here rows and
// lists travel as one JSON argument each (expanded by `json_each`): one native JSON.stringify.
import type { InStatement, ResultSet, Row } from "@libsql/client/web";
import type { Database } from "../../db/client.ts";
import type { credentials } from "../../db/schema/index.ts";

/** What a new credential row holds (the columns issuance sets). */
export type CredentialInsert = Required<
  Pick<
    typeof credentials.$inferInsert,
    | "id" | "orgId" | "achievementId" | "batchId" | "batchRow" | "recipientName" | "recipientEmail" | "statusListId"
    | "statusIndex" | "kid" | "jwt" | "validFrom" | "validUntil" | "issuedAt"
  >
>;

/** A credential already stored for a batch row, as issuance answers it. */
export interface StoredBatchCredential {
  credentialId: string;
  jwt: string;
  statusListId: string;
  statusIndex: number;
  validFrom: string;
  validUntil: string | null;
  batchId: string;
  batchRow: number;
}

const COLUMNS =
  "id, org_id, achievement_id, batch_id, batch_row, recipient_name, recipient_email, status_list_id, status_index, kid, jwt, valid_from, valid_until, issued_at";

/**
 * One INSERT for any number of rows, the rows as one JSON argument. `WHERE true` is SQLite's
 * documented way to keep `ON CONFLICT` from parsing as a join constraint after INSERT … SELECT.
 */
function insertStatement(rows: readonly CredentialInsert[]): InStatement {
  const values = rows.map((r) => [
    r.id, r.orgId, r.achievementId, r.batchId, r.batchRow, r.recipientName, r.recipientEmail, r.statusListId,
    r.statusIndex, r.kid, r.jwt, r.validFrom, r.validUntil, r.issuedAt.getTime(),
  ]);
  const columns = COLUMNS.split(", ").map((_, i) => `r.value ->> ${i}`).join(", ");
  return {
    sql: `INSERT INTO credentials (${COLUMNS}) SELECT ${columns} FROM json_each(?) AS r WHERE true ON CONFLICT DO NOTHING`,
    args: [JSON.stringify(values)],
  };
}

/** Credentials of the given batch rows, grouped per batch (one statement per batch, usually one). */
function batchRowStatements(orgId: string, rows: readonly { batchId?: string | null; batchRow?: number | null }[]): InStatement[] {
  const byBatch = new Map<string, number[]>();
  for (const r of rows) {
    if (r.batchId == null || r.batchRow == null) continue;
    const list = byBatch.get(r.batchId) ?? [];
    list.push(r.batchRow);
    byBatch.set(r.batchId, list);
  }
  return [...byBatch].map(([batchId, rowNumbers]) => ({
    sql: `SELECT id, jwt, status_list_id, status_index, valid_from, valid_until, batch_id, batch_row FROM credentials
          WHERE org_id = ? AND batch_id = ? AND batch_row IN (SELECT value FROM json_each(?))`,
    args: [orgId, batchId, JSON.stringify(rowNumbers)],
  }));
}

/** Key of a batch row in the maps below. */
export function batchKey(r: { batchId?: string | null; batchRow?: number | null }): string {
  return `${r.batchId}\u0000${r.batchRow}`;
}

function storedRows(results: readonly ResultSet[]): Map<string, StoredBatchCredential> {
  const map = new Map<string, StoredBatchCredential>();
  for (const row of results.flatMap((r) => r.rows as Row[])) {
    const stored: StoredBatchCredential = {
      credentialId: String(row.id),
      jwt: String(row.jwt),
      statusListId: String(row.status_list_id),
      statusIndex: Number(row.status_index),
      validFrom: String(row.valid_from),
      validUntil: row.valid_until == null ? null : String(row.valid_until),
      batchId: String(row.batch_id),
      batchRow: Number(row.batch_row),
    };
    map.set(batchKey(stored), stored);
  }
  return map;
}

/** Credentials already issued for these batch rows (none for rows without a batch). */
export async function findBatchCredentials(
  db: Database,
  orgId: string,
  rows: readonly { batchId?: string | null; batchRow?: number | null }[],
): Promise<Map<string, StoredBatchCredential>> {
  const statements = batchRowStatements(orgId, rows);
  if (statements.length === 0) return new Map();
  return storedRows(await db.$client.batch(statements, "read"));
}

/**
 * One transaction: INSERT … ON CONFLICT DO NOTHING, then read back which ids landed and which
 * batch rows hold a credential. A row in neither lost its status slot and must be retried.
 * `also` (e.g. the publication outbox) run right after the insert, their results unread; `extra`
 * (e.g. the idempotent answer, guarded by the insert) run last; their rowsAffected are summed.
 */
export async function insertAndReadBack(
  db: Database,
  orgId: string,
  rows: readonly CredentialInsert[],
  extra: readonly InStatement[] = [],
  also: readonly InStatement[] = [],
) {
  const readIds: InStatement = {
    sql: "SELECT id FROM credentials WHERE id IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify(rows.map((r) => r.id))],
  };
  const readBatchRows = batchRowStatements(orgId, rows);
  const all = await db.$client.batch([insertStatement(rows), ...also, readIds, ...readBatchRows, ...extra], "write");
  const results = [all[0]!, ...all.slice(1 + also.length)];
  const ids = new Set(results[1]!.rows.map((r) => String(r.id)));
  const readBackEnd = 2 + readBatchRows.length;
  const batchRows = storedRows(results.slice(2, readBackEnd));
  const extraRowsAffected = results.slice(readBackEnd).reduce((n, r) => n + r.rowsAffected, 0);
  return { ids, batchRows, extraRowsAffected };
}
