// The message on laurel-integrations: run step `step` of an LMS sync (services/integrations/
// sync-step.ts). A step whose number is no longer the sync's current one is acknowledged and
// dropped, so a redelivered message never runs a step twice.

export interface IntegrationSyncJob {
  type: "integration.sync";
  syncId: string;
  step: number;
  requestId: string;
}

/** The LMS sync queue (origin/wrangler.toml). */
export const INTEGRATIONS_QUEUE = "laurel-integrations";

export function isIntegrationSyncJob(body: unknown): body is IntegrationSyncJob {
  const job = body as Partial<IntegrationSyncJob> | null;
  return typeof job === "object" && job !== null && job.type === "integration.sync" && typeof job.syncId === "string" && Number.isSafeInteger(job.step);
}
