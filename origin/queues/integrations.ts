// The message on laurel-integrations: run step `step` of an LMS sync (services/integrations/
// sync-step.ts). A step whose number is no longer the sync's current one is acknowledged and
// dropped, so a redelivered message never runs a step twice.

import type { TraceCarrier } from "../../shared/observability/trace-context.ts";

export interface IntegrationSyncJob {
  type: "integration.sync";
  syncId: string;
  step: number;
  requestId: string;
  /** Set by the re-drive (the sync's stored trace); otherwise stamped by the producer binding. */
  trace?: TraceCarrier;
}

/** The LMS sync queue (origin/wrangler.toml). */
export const INTEGRATIONS_QUEUE = "laurel-integrations";

export function isIntegrationSyncJob(body: unknown): body is IntegrationSyncJob {
  const job = body as Partial<IntegrationSyncJob> | null;
  return typeof job === "object" && job !== null && job.type === "integration.sync" && typeof job.syncId === "string" && Number.isSafeInteger(job.step);
}
