// Periodic maintenance (cron trigger in wrangler.toml): purge expired Idempotency-Key records.
import { createLogger } from "../shared/observability/logger.ts";
import { database } from "./db/client.ts";
import type { OriginEnv } from "./env.ts";
import { purgeExpiredIdempotencyKeys } from "./services/idempotency/index.ts";

/** Runs every maintenance task once; failures are logged, never thrown (the next run retries). */
export async function runScheduled(env: OriginEnv, cron: string): Promise<void> {
  const log = createLogger({ service: "origin", requestId: crypto.randomUUID(), operation: "scheduled" });
  const started = Date.now();
  try {
    const purged = await purgeExpiredIdempotencyKeys(database(env));
    log.info("idempotency keys purged", { cron, purged, durationMs: Date.now() - started });
  } catch (error) {
    log.error("idempotency key purge failed", { cron, error });
  }
}
