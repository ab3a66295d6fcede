// The recipients' name choices (wallet: "show my name on public pages or not") for credentials
// just issued, so a batch slice's projections, made from memory without reading the rows back,
// show the choice from the first publication.
import type { Database } from "../../db/client.ts";

export interface NameChoice {
  hideName: boolean;
  namePrefAt: Date;
}

/** The choices of these credentials' recipients, by credential id (only recipients who made one). */
export async function nameChoicesOf(db: Database, credentialIds: readonly string[]): Promise<Map<string, NameChoice>> {
  if (credentialIds.length === 0) return new Map();
  const result = await db.$client.execute({
    sql: `SELECT r.credential_id, p.hide_name, p.updated_at FROM recipient_credentials AS r
          JOIN recipient_preferences AS p ON p.email_hash = r.email_hash
          WHERE r.credential_id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(credentialIds)],
  });
  return new Map(result.rows.map((row) => [String(row.credential_id), { hideName: Number(row.hide_name) === 1, namePrefAt: new Date(Number(row.updated_at)) }]));
}

/** Whether two readings of `nameChoicesOf` differ (a choice was made or changed in between). */
export function choicesChanged(a: Map<string, NameChoice>, b: Map<string, NameChoice>): boolean {
  if (a.size !== b.size) return true;
  for (const [id, choice] of a) {
    const other = b.get(id);
    if (!other || other.hideName !== choice.hideName || other.namePrefAt.getTime() !== choice.namePrefAt.getTime()) return true;
  }
  return false;
}
