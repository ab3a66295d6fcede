// Periodic maintenance (cron triggers in wrangler.toml), one function per task, dispatched by cron:
// - every minute: the publication reconciler (republishes what the edge lags behind, re-drives
//   dead-lettered publication jobs), the webhook sweep (re-sends overdue deliveries), LMS syncs
//   whose schedule is due and re-sending stalled sync steps, the recipient notification sweep
//   (enqueues pending notices whose job was lost), the SLO alert evaluation (origin/ops/alerts.ts),
//   the recipient-index backfill (a bounded step until it has finished), the batch proof sweep
//   (Data Integrity proofs a lost credential.prove job left, services/publication/batch-proof-sweep.ts);
// - every 30 minutes: purge expired Idempotency-Key records; re-sign status lists before they expire;
//   purge old applied analytics flush ids; purge webhook history past its retention; purge expired
//   wallet sign-in links and sessions; purge expired console sessions and spent sign-in throttle rows.
import { createLogger, type Logger } from "../shared/observability/logger.ts";
import { database } from "./db/client.ts";
import type { OriginEnv } from "./env.ts";
import { purgeAppliedFlushes } from "./services/analytics/record-counts.ts";
import { purgeExpiredIdempotencyKeys } from "./services/idempotency/index.ts";
import { refreshStatusLists } from "./services/status-lists/refresh.ts";
import { redriveDeadLetters } from "./services/jobs/redrive.ts";
import { reconcilePublications } from "./services/publication/reconcile.ts";
import { sweepWebhookDeliveries } from "./services/webhooks/sweep.ts";
import { purgeWebhookHistory } from "./services/webhooks/retention.ts";
import { redriveStalledSyncs, startDueSyncs } from "./services/integrations/scheduled.ts";
import { sweepNotifications } from "./services/notifications/enqueue.ts";
import { purgeExpiredSignIns } from "./services/recipients/sign-in-tokens.ts";
import { evaluateAlertsTask } from "./ops/alerts-task.ts";
import { purgeConsoleSignInState } from "./services/sessions/purge.ts";
import { backfillRecipientIndex } from "./services/recipients/index-backfill.ts";
import { sweepBatchProofs } from "./services/publication/batch-proof-sweep.ts";

/** The crons of origin/wrangler.toml [triggers]. */
export const CRONS = { everyMinute: "* * * * *", everyHalfHour: "*/30 * * * *" } as const;

const TASKS: Record<string, ((env: OriginEnv, log: Logger) => Promise<void>)[]> = {
  [CRONS.everyMinute]: [reconcile, sweepWebhooks, syncIntegrations, sweepRecipientNotifications, evaluateAlertsTask, backfillRecipients, sweepProofs],
  [CRONS.everyHalfHour]: [purgeIdempotencyKeys, refreshExpiringStatusLists, purgeAnalyticsFlushIds, purgeWebhooks, purgeWalletSignIns, purgeConsoleSignIns],
};

/**
 * Runs the tasks of `cron` (every task for a cron not in wrangler.toml, such as a manual local
 * trigger: each is idempotent). Failures are logged, never thrown: the next run retries.
 */
export async function runScheduled(env: OriginEnv, cron: string): Promise<void> {
  const log = createLogger({ service: "origin", requestId: crypto.randomUUID(), operation: "scheduled", cron });
  const tasks = TASKS[cron] ?? Object.values(TASKS).flat();
  for (const task of tasks) {
    try {
      await task(env, log);
    } catch (error) {
      log.error(`scheduled task ${task.name} failed`, { error });
    }
  }
}

async function purgeIdempotencyKeys(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const purged = await purgeExpiredIdempotencyKeys(database(env));
  log.info("idempotency keys purged", { purged, durationMs: Date.now() - started });
}

async function reconcile(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const report = await reconcilePublications(env, log);
  const deadLetters = await redriveDeadLetters(env, log);
  const counts = (r: { published: string[]; failed: string[] }) => ({ published: r.published.length, failed: r.failed.length });
  log.info("publications reconciled", {
    statusLists: counts(report.statusLists),
    credentials: { ...counts(report.credentials), dropped: report.credentials.dropped.length },
    issuers: counts(report.issuers),
    deadLetters: { redriven: deadLetters.redriven.length, failed: deadLetters.failed.length },
    durationMs: Date.now() - started,
  });
}

async function refreshExpiringStatusLists(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const refresh = await refreshStatusLists(database(env), env, { log });
  log.info("status lists re-signed", { ...refresh, durationMs: Date.now() - started });
}

async function purgeAnalyticsFlushIds(env: OriginEnv, log: Logger): Promise<void> {
  const purged = await purgeAppliedFlushes(database(env));
  log.info("applied analytics flush ids purged", { purged });
}

async function sweepWebhooks(env: OriginEnv, log: Logger): Promise<void> {
  const resent = await sweepWebhookDeliveries(env, log);
  if (resent > 0) log.info("overdue webhook deliveries re-sent", { resent });
}

async function purgeWebhooks(env: OriginEnv, log: Logger): Promise<void> {
  const purged = await purgeWebhookHistory(database(env));
  if (purged.deliveries + purged.events > 0) log.info("webhook history purged", purged);
}

async function syncIntegrations(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const due = await startDueSyncs(env, log);
  const redriven = await redriveStalledSyncs(env, log);
  log.info("integration syncs scheduled", { ...due, redriven, durationMs: Date.now() - started });
}

async function sweepRecipientNotifications(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const enqueued = await sweepNotifications(env, crypto.randomUUID());
  log.info("notifications swept", { enqueued, durationMs: Date.now() - started });
}

async function sweepProofs(env: OriginEnv, log: Logger): Promise<void> {
  const started = Date.now();
  const report = await sweepBatchProofs(env, log);
  log.info("batch Data Integrity proofs swept", { ...report, durationMs: Date.now() - started });
}

async function purgeWalletSignIns(env: OriginEnv, log: Logger): Promise<void> {
  const purged = await purgeExpiredSignIns(database(env), Date.now());
  log.info("expired wallet sign-in links and sessions purged", { purged });
}

async function purgeConsoleSignIns(env: OriginEnv, log: Logger): Promise<void> {
  const purged = await purgeConsoleSignInState(database(env));
  log.info("expired console sessions and spent sign-in throttle rows purged", purged);
}

async function backfillRecipients(env: OriginEnv, log: Logger): Promise<void> {
  const run = await backfillRecipientIndex(env, crypto.randomUUID(), log);
  if (run.scanned > 0) log.info("recipient index backfilled", { ...run });
}
