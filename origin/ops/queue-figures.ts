// Queue backlog and oldest work's age, per queue, derived from what the database holds. Cloudflare
// Queues does not tell a Worker how deep a queue is (only its dashboard and API do), but every
// piece of queued work here has a database row until it is done (the outbox pattern), so the
// rows still owed are the backlog, and the oldest of them its age. One statement, one round trip.
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";

/** What one queue still owes. `oldestAgeSeconds` is 0 when nothing is owed. */
export interface QueueFigure {
  /** The kind of work (named after its queue where it has one). */
  queue: string;
  backlog: number;
  oldestAgeSeconds: number;
}

/** Queue figures plus what they describe about work in progress. */
export interface QueueFigures {
  queues: QueueFigure[];
  /** Dead-lettered jobs not yet replayed. */
  deadLetters: number;
  /** Batches queued or running: rows done of rows total. */
  batches: { running: number; rowsDone: number; rowsTotal: number };
  /** LMS syncs queued or running, and their learners handled so far. */
  integrationSyncs: { running: number; learnersDone: number; learnersTotal: number };
  /** Webhook attempts in the last hour, and how many were answered 2xx. */
  webhookAttempts: { lastHour: number; succeeded: number };
}

// Each branch: name, backlog, the oldest row's epoch ms (NULL when none). Ages are measured from
// when the work was due (outbox, notifications) or accepted (batches, deliveries, syncs; proofs:
// credentials without a Data Integrity proof in batches the proof sweep has not marked done, aged
// from their batch's completion).
/**
 * The proof backlog is counted up to this many credentials: after the deploy that added batch proofs
 * every earlier batch is owed its proofs, and counting them all each minute (alerts, /ops) would
 * cost a scan of every batch credential. The oldest age stays right: the unmarked batches are
 * read oldest first (batches_proofs_pending_idx).
 */
export const PROOF_BACKLOG_COUNT_CAP = 10_000;

const BACKLOG_SQL = `
SELECT 'laurel-jobs (publications)' AS queue, count(*) AS backlog, min(CASE WHEN due_at <= ?1 THEN due_at END) AS oldest FROM credential_publications
UNION ALL
SELECT 'laurel-batches', count(*), min(b.created_at) FROM batches b JOIN batch_rows r ON r.batch_id = b.id
  WHERE b.status IN ('queued', 'running') AND r.state = 'pending'
UNION ALL
SELECT 'laurel-webhooks', count(*), min(created_at) FROM webhook_deliveries WHERE state = 'pending'
UNION ALL
SELECT 'laurel-notifications', count(*), min(CASE WHEN due_at <= ?1 THEN due_at END) FROM notifications WHERE status IN ('pending', 'sending')
UNION ALL
SELECT 'laurel-integrations', count(*), min(created_at) FROM integration_syncs WHERE status IN ('queued', 'running')
UNION ALL
SELECT 'laurel-proofs', count(*), min(completed_at) FROM (SELECT b.completed_at FROM batches b JOIN credentials c ON c.batch_id = b.id
  WHERE b.proofs_done_at IS NULL AND NOT EXISTS (SELECT 1 FROM credential_proofs p WHERE p.credential_id = c.id) LIMIT ${PROOF_BACKLOG_COUNT_CAP})
UNION ALL
SELECT 'dead-letters', count(*), min(received_at) FROM dead_letters WHERE replayed_at IS NULL
UNION ALL
SELECT 'batch-rows', count(*), sum(CASE WHEN r.state <> 'pending' THEN 1 ELSE 0 END) FROM batches b JOIN batch_rows r ON r.batch_id = b.id
  WHERE b.status IN ('queued', 'running')
UNION ALL
SELECT 'batches-running', count(*), NULL FROM batches WHERE status IN ('queued', 'running')
UNION ALL
SELECT 'sync-learners', count(*), sum(CASE WHEN l.state NOT IN ('pending', 'check') THEN 1 ELSE 0 END) FROM integration_syncs s
  JOIN integration_sync_learners l ON l.sync_id = s.id WHERE s.status IN ('queued', 'running')
UNION ALL
SELECT 'webhook-attempts', count(*), sum(CASE WHEN status_code BETWEEN 200 AND 299 THEN 1 ELSE 0 END) FROM webhook_attempts WHERE attempted_at >= ?1 - 3600000`;

/** Reads the queue figures now (throws when the database does not answer). */
export async function readQueueFigures(env: Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "LIBSQL_TIMEOUT_MS">, now = Date.now()): Promise<QueueFigures> {
  const result = await database(env).$client.execute({ sql: BACKLOG_SQL, args: [now] });
  const rows = new Map(result.rows.map((r) => [String(r[0]), { count: Number(r[1] ?? 0), extra: r[2] === null ? null : Number(r[2]) }]));
  const row = (name: string) => rows.get(name) ?? { count: 0, extra: null };
  const queues = ["laurel-jobs (publications)", "laurel-batches", "laurel-webhooks", "laurel-notifications", "laurel-integrations", "laurel-proofs"].map((queue) => {
    const r = row(queue);
    return { queue, backlog: r.count, oldestAgeSeconds: r.extra === null ? 0 : Math.max(0, Math.round((now - r.extra) / 1000)) };
  });
  return {
    queues,
    deadLetters: row("dead-letters").count,
    batches: { running: row("batches-running").count, rowsDone: row("batch-rows").extra ?? 0, rowsTotal: row("batch-rows").count },
    integrationSyncs: { running: rows.get("laurel-integrations")?.count ?? 0, learnersDone: row("sync-learners").extra ?? 0, learnersTotal: row("sync-learners").count },
    webhookAttempts: { lastHour: row("webhook-attempts").count, succeeded: row("webhook-attempts").extra ?? 0 },
  };
}

/** The figures as Prometheus gauges (laurel_queue_depth and laurel_dead_letters keep their old meaning). */
export function queueFigureLines(f: QueueFigures): string[] {
  const pendingRows = f.queues.find((q) => q.queue === "laurel-batches")?.backlog ?? 0;
  const lines = ["# TYPE laurel_queue_backlog gauge", "# TYPE laurel_queue_oldest_age_seconds gauge"];
  for (const q of f.queues) {
    lines.push(`laurel_queue_backlog{service="origin",queue="${q.queue}"} ${q.backlog}`);
    lines.push(`laurel_queue_oldest_age_seconds{service="origin",queue="${q.queue}"} ${q.oldestAgeSeconds}`);
  }
  lines.push(
    "# TYPE laurel_queue_depth gauge", `laurel_queue_depth{service="origin"} ${pendingRows}`,
    "# TYPE laurel_dead_letters gauge", `laurel_dead_letters{service="origin"} ${f.deadLetters}`,
    "# TYPE laurel_batch_rows_pending gauge", `laurel_batch_rows_pending{service="origin"} ${f.batches.rowsTotal - f.batches.rowsDone}`,
    "# TYPE laurel_integration_sync_learners_pending gauge", `laurel_integration_sync_learners_pending{service="origin"} ${f.integrationSyncs.learnersTotal - f.integrationSyncs.learnersDone}`,
  );
  return lines;
}
