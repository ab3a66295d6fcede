// What issuance writes for recipients, in the credentials' own transaction (issuance/store.ts
// runs these right after the insert): the recipient index row of every new credential and, when
// the achievement notifies recipients, its `issued` notification (pending until published).
import type { InStatement } from "@libsql/client/web";
import { originSetting, type OriginEnv } from "../../env.ts";
import { recipientEmailHash } from "../recipients/email-hash.ts";
import { SWEEP_GRACE_MS } from "./store.ts";

/**
 * Statements for the insert transaction of `rows`. Rows whose insert did not land (a lost status
 * slot, a batch row issued before) match no credential and write nothing.
 */
export async function recipientStatementsForIssue(
  env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET" | "MAIL_TRANSPORT">,
  rows: readonly { id: string; recipientEmail: string }[],
  notify: boolean,
  now: number,
): Promise<InStatement[]> {
  // One address usually repeats only in tests; hashing each distinct address once is enough.
  const hashes = new Map<string, string>();
  for (const r of rows) if (!hashes.has(r.recipientEmail)) hashes.set(r.recipientEmail, await recipientEmailHash(env.KEY_ENCRYPTION_SECRET, r.recipientEmail));
  const pairs = JSON.stringify(rows.map((r) => [r.id, hashes.get(r.recipientEmail)]));
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO recipient_credentials (credential_id, email_hash)
            SELECT c.id, r.value ->> 1 FROM json_each(?) AS r JOIN credentials AS c ON c.id = r.value ->> 0
            WHERE true ON CONFLICT DO NOTHING`,
      args: [pairs],
    },
  ];
  if (notify) {
    // Without a mail transport the row is born `skipped`: recorded, and no job per credential
    // (a 10,000-row batch would otherwise queue 10,000 jobs that each only record the skip).
    const mailOn = originSetting(env, "MAIL_TRANSPORT") !== undefined;
    statements.push({
      sql: `INSERT INTO notifications (credential_id, kind, org_id, status, last_error, due_at)
            SELECT id, 'issued', org_id, ?, ?, ? FROM credentials WHERE id IN (SELECT value FROM json_each(?))
            ON CONFLICT DO NOTHING`,
      args: [mailOn ? "pending" : "skipped", mailOn ? null : "mail not configured", now + SWEEP_GRACE_MS, JSON.stringify(rows.map((r) => r.id))],
    });
  }
  return statements;
}
