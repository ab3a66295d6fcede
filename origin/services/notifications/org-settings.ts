// Per-org notification choices (table org_notification_settings; no row: the defaults).
import type { Database } from "../../db/client.ts";

/** Whether the org tells recipients of revocations (default true). */
export async function notifyOnRevocation(db: Database, orgId: string): Promise<boolean> {
  const result = await db.$client.execute({ sql: "SELECT notify_on_revocation FROM org_notification_settings WHERE org_id = ?", args: [orgId] });
  const row = result.rows[0];
  return row ? Number(row.notify_on_revocation) === 1 : true;
}

export async function setNotifyOnRevocation(db: Database, orgId: string, value: boolean): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO org_notification_settings (org_id, notify_on_revocation, updated_at) VALUES (?1, ?2, ?3)
          ON CONFLICT (org_id) DO UPDATE SET notify_on_revocation = ?2, updated_at = ?3`,
    args: [orgId, value ? 1 : 0, Date.now()],
  });
}
