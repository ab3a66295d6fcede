// What the API answers for integrations and syncs (never the token).
import type { IntegrationRow } from "./store.ts";
import type { SyncCounts, SyncError, SyncRow } from "./sync-store.ts";

export function syncView(row: SyncRow, counts: SyncCounts, errors: SyncError[]) {
  return {
    id: row.id,
    integrationId: row.integrationId,
    trigger: row.trigger,
    status: row.status,
    learnersSeen: counts.learnersSeen,
    completionsSeen: counts.completionsSeen,
    credentialsIssued: counts.credentialsIssued,
    skipped: counts.skipped,
    errorCount: counts.errors,
    errors,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

export type SyncView = ReturnType<typeof syncView>;

export function integrationView(row: IntegrationRow, lastSync: SyncView | null) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.baseUrl,
    courseId: row.courseId,
    achievementId: row.achievementId,
    schedule: row.schedule,
    requestsPerSecond: row.requestsPerSecond,
    maxConcurrency: row.maxConcurrency,
    nextSyncAt: row.nextSyncAt ? row.nextSyncAt.toISOString() : null,
    lastSync,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
