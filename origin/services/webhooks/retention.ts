// How long webhook history is kept: finished deliveries (delivered or dead) with their attempts,
// and events no delivery refers to any more, are deleted RETENTION_DAYS after they were made
// (origin/scheduled.ts, every 30 minutes, at most PURGE_LIMIT deliveries per run). Pending
// deliveries are never purged, whatever their age.
import type { Database } from "../../db/client.ts";

export const RETENTION_DAYS = 30;
const PURGE_LIMIT = 5_000;

/** Deletes expired webhook history; returns how many deliveries and events went. */
export async function purgeWebhookHistory(db: Database, now = Date.now()): Promise<{ deliveries: number; events: number }> {
  const cutoff = now - RETENTION_DAYS * 86_400_000;
  const expired = `SELECT id FROM webhook_deliveries WHERE state IN ('delivered', 'dead') AND created_at < ? LIMIT ${PURGE_LIMIT}`;
  const [, deliveries, events] = await db.$client.batch(
    [
      { sql: `DELETE FROM webhook_attempts WHERE delivery_id IN (${expired})`, args: [cutoff] },
      { sql: `DELETE FROM webhook_deliveries WHERE id IN (${expired})`, args: [cutoff] },
      {
        sql: `DELETE FROM webhook_events WHERE id IN (
                SELECT id FROM webhook_events AS ev WHERE ev.created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d WHERE d.event_id = ev.id) LIMIT ${PURGE_LIMIT})`,
        args: [cutoff],
      },
    ],
    "write",
  );
  return { deliveries: deliveries!.rowsAffected, events: events!.rowsAffected };
}
