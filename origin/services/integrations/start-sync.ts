// Starting a sync: a queued integration_syncs row, then its first step on laurel-integrations. If
// the send fails, the row stays queued and the scheduled re-drive (scheduled.ts) sends it.
import type { Logger } from "../../../shared/observability/logger.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { IntegrationSyncJob } from "../../queues/integrations.ts";
import { traceValues } from "../webhooks/events.ts";
import { insertSync, type SyncRow } from "./sync-store.ts";
import type { IntegrationRow } from "./store.ts";

export async function startSync(
  env: Pick<OriginEnv, "INTEGRATIONS" | "TRACE">,
  db: Database,
  integration: IntegrationRow,
  trigger: SyncRow["trigger"],
  requestId: string,
  log: Logger,
): Promise<SyncRow> {
  // The starting span's context is stored with the sync: a step the re-drive sends continues it.
  const [traceparent, tracestate] = traceValues(env.TRACE);
  const sync = await insertSync(db, { integrationId: integration.id, orgId: integration.orgId, trigger, requestId, traceparent, tracestate });
  await sendStep(env, { type: "integration.sync", syncId: sync.id, step: 0, requestId }, log);
  return sync;
}

/** Sends a step; a failed send is logged, not thrown (the re-drive sends it later). */
export async function sendStep(env: Pick<OriginEnv, "INTEGRATIONS">, job: IntegrationSyncJob, log: Logger, delaySeconds?: number): Promise<void> {
  try {
    await env.INTEGRATIONS.send(job, delaySeconds ? { delaySeconds } : undefined);
  } catch (error) {
    log.warn("could not enqueue the sync step; the scheduled re-drive sends it", { error, syncId: job.syncId, step: job.step });
  }
}
