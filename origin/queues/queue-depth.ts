// Queue depth for /metrics, from the database (the one place every isolate shares):
// - laurel_queue_depth: batch rows waiting to be issued (work accepted but not yet done on laurel-jobs);
// - laurel_dead_letters: dead-lettered jobs not yet replayed.
// Cloudflare Queues exposes its own backlog only through its dashboard/API, not to the Worker.
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import { originMetrics } from "../metrics.ts";

let registered = false;

/** Registers the gauges once per isolate (they read the database when /metrics is scraped). */
export function registerQueueGauges(env: Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "LIBSQL_TIMEOUT_MS">): void {
  if (registered) return;
  registered = true;
  const count = async (query: string) => {
    const result = await database(env).$client.execute(query);
    return Number(result.rows[0]?.[0] ?? 0);
  };
  originMetrics.gauge("laurel_queue_depth", () =>
    count(
      `SELECT count(*) FROM batches b JOIN batch_rows r ON r.batch_id = b.id
       WHERE b.status IN ('queued', 'running') AND r.state = 'pending'`,
    ),
  );
  originMetrics.gauge("laurel_dead_letters", () => count("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL"));
}
