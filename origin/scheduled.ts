// Periodic maintenance (cron trigger in wrangler.toml): purge expired Idempotency-Key records and
// re-sign status lists before they expire. Each task is independent: one failing does not stop
// the others.
import { createLogger, type Logger } from "../shared/observability/logger.ts";
import { database } from "./db/client.ts";
import type { OriginEnv } from "./env.ts";
import { purgeExpiredIdempotencyKeys } from "./services/idempotency/index.ts";
import { refreshStatusLists } from "./services/status-lists/refresh.ts";

/** Runs every maintenance task once; failures are logged, never thrown (the next run retries). */
export async function runScheduled(env: OriginEnv, cron: string): Promise<void> {
  const log = createLogger({ service: "origin", requestId: crypto.randomUUID(), operation: "scheduled" });
  await purgeIdempotencyKeys(env, cron, log);
  await refreshExpiringStatusLists(env, cron, log);
}

async function purgeIdempotencyKeys(env: OriginEnv, cron: string, log: Logger): Promise<void> {
  const started = Date.now();
  try {
    const purged = await purgeExpiredIdempotencyKeys(database(env));
    log.info("idempotency keys purged", { cron, purged, durationMs: Date.now() - started });
  } catch (error) {
    log.error("idempotency key purge failed", { cron, error });
  }
}

async function refreshExpiringStatusLists(env: OriginEnv, cron: string, log: Logger): Promise<void> {
  const started = Date.now();
  try {
    const refresh = await refreshStatusLists(database(env), env, { log });
    log.info("status lists re-signed", { cron, ...refresh, durationMs: Date.now() - started });
  } catch (error) {
    log.error("status list re-signing failed", { cron, error });
  }
}
