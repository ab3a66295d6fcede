// The every-minute cron's LMS tasks (origin/scheduled.ts):
// - start a sync of each integration whose schedule is due, unless one is queued or running;
// - re-send the current step of syncs that made no progress for STALLED_AFTER_MS (a lost message,
//   a failed send): a step that is in fact still retrying runs twice at worst, and the step
//   counter lets only one of the two continue the chain.
import type { Logger } from "../../../shared/observability/logger.ts";
import { traceCarrier, traceFromCarrier } from "../../../shared/observability/trace-context.ts";
import type { IntegrationSyncJob } from "../../queues/integrations.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { nextSyncAfter } from "./schedule.ts";
import { sendStep, startSync } from "./start-sync.ts";
import { hasActiveSync } from "./sync-store.ts";
import type { IntegrationRow } from "./store.ts";

/** Integrations started per run at most. */
const DUE_PER_RUN = 50;
/** Longer than a step's longest retry wait (300 s) plus its run time. */
export const STALLED_AFTER_MS = 10 * 60_000;

export async function startDueSyncs(env: OriginEnv, log: Logger, now = Date.now()): Promise<{ started: number; skipped: number }> {
  const db = database(env);
  const due = await db.query.integrations.findMany({
    where: (i, { and, isNotNull, lte }) => and(isNotNull(i.nextSyncAt), lte(i.nextSyncAt, new Date(now))),
    limit: DUE_PER_RUN,
  });
  let started = 0;
  let skipped = 0;
  for (const integration of due as IntegrationRow[]) {
    // Compare-and-set on next_sync_at: of two overlapping cron runs only one starts this sync.
    const claimed = await db.$client.execute({
      sql: "UPDATE integrations SET next_sync_at = ? WHERE id = ? AND next_sync_at = ?",
      args: [nextSyncAfter(now, integration.scheduleMinutes ?? 60).getTime(), integration.id, integration.nextSyncAt!.getTime()],
    });
    if (claimed.rowsAffected === 0) continue;
    if (await hasActiveSync(db, integration.id)) {
      skipped++;
      continue;
    }
    await startSync(env, db, integration, "schedule", crypto.randomUUID(), log);
    started++;
  }
  return { started, skipped };
}

export async function redriveStalledSyncs(env: OriginEnv, log: Logger, now = Date.now()): Promise<number> {
  const db = database(env);
  const stalled = await db.$client.execute({
    sql: `UPDATE integration_syncs SET updated_at = ? WHERE id IN (
            SELECT id FROM integration_syncs WHERE status IN ('queued', 'running') AND updated_at < ? LIMIT 50)
          RETURNING id, step, request_id, traceparent, tracestate`,
    args: [now, now - STALLED_AFTER_MS],
  });
  for (const row of stalled.rows) {
    // The step continues the trace of the request that started the sync, not the cron's.
    const trace = traceFromCarrier({ traceparent: row.traceparent as string | undefined, tracestate: row.tracestate as string | undefined });
    const job: IntegrationSyncJob = { type: "integration.sync", syncId: String(row.id), step: Number(row.step), requestId: String(row.request_id ?? crypto.randomUUID()) };
    await sendStep(env, trace ? { ...job, trace: traceCarrier(trace) } : job, log);
  }
  return stalled.rows.length;
}
