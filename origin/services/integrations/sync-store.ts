// The integration_syncs rows and the counts and errors of each, counted from its learner rows.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { integrationSyncLearners, integrationSyncs } from "../../db/schema/index.ts";
import { olderThan, type Position } from "../../http/pagination.ts";

export type SyncRow = typeof integrationSyncs.$inferSelect;
export type SyncStatus = SyncRow["status"];

/** Errors listed per sync at most (the count is always complete). */
export const SYNC_ERRORS_SHOWN = 100;

export interface SyncCounts {
  /** LMS learners the sync looked at (Moodle: every enrolled user; Canvas: every completed student). */
  learnersSeen: number;
  completionsSeen: number;
  credentialsIssued: number;
  /** Completions already issued (by an earlier sync or one running at the same time). */
  skipped: number;
  errors: number;
}

export interface SyncError {
  lmsUserId: string;
  code: string;
  detail: string;
  /** The offending LMS record (truncated JSON). */
  record: string | null;
}

/** Inserts a queued sync. */
export async function insertSync(
  db: Database,
  input: { integrationId: string; orgId: string; trigger: SyncRow["trigger"]; requestId: string; traceparent?: string | null; tracestate?: string | null },
): Promise<SyncRow> {
  const now = new Date();
  const [row] = await db
    .insert(integrationSyncs)
    .values({ id: crypto.randomUUID(), ...input, status: "queued", createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function findSync(db: Database, integrationId: string, syncId: string): Promise<SyncRow | null> {
  const [row] = await db
    .select()
    .from(integrationSyncs)
    .where(and(eq(integrationSyncs.integrationId, integrationId), eq(integrationSyncs.id, syncId)))
    .limit(1);
  return row ?? null;
}

export function listSyncs(db: Database, integrationId: string, after: Position | null, limit: number): Promise<SyncRow[]> {
  return db
    .select()
    .from(integrationSyncs)
    .where(and(eq(integrationSyncs.integrationId, integrationId), olderThan(integrationSyncs.createdAt, integrationSyncs.id, after)))
    .orderBy(desc(integrationSyncs.createdAt), desc(integrationSyncs.id))
    .limit(limit);
}

/** The newest sync of each integration. */
export async function latestSyncs(db: Database, integrationIds: string[]): Promise<Map<string, SyncRow>> {
  if (integrationIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(integrationSyncs)
    .where(
      and(
        inArray(integrationSyncs.integrationId, integrationIds),
        sql`${integrationSyncs.createdAt} = (SELECT max(s2.created_at) FROM integration_syncs s2 WHERE s2.integration_id = ${integrationSyncs.integrationId})`,
      ),
    );
  return new Map(rows.map((r) => [r.integrationId, r]));
}

/** Counts per sync, from its learner rows. */
export async function syncCounts(db: Database, syncIds: string[]): Promise<Map<string, SyncCounts>> {
  const counts = new Map<string, SyncCounts>(syncIds.map((id) => [id, { learnersSeen: 0, completionsSeen: 0, credentialsIssued: 0, skipped: 0, errors: 0 }]));
  if (syncIds.length === 0) return counts;
  const rows = await db
    .select({
      syncId: integrationSyncLearners.syncId,
      seen: sql<number>`count(*)`,
      completions: sql<number>`sum(CASE WHEN ${integrationSyncLearners.completed} = 1 THEN 1 ELSE 0 END)`,
      issued: sql<number>`sum(CASE WHEN ${integrationSyncLearners.state} = 'issued' THEN 1 ELSE 0 END)`,
      skipped: sql<number>`sum(CASE WHEN ${integrationSyncLearners.state} = 'skipped' THEN 1 ELSE 0 END)`,
      errors: sql<number>`sum(CASE WHEN ${integrationSyncLearners.state} = 'error' THEN 1 ELSE 0 END)`,
    })
    .from(integrationSyncLearners)
    .where(inArray(integrationSyncLearners.syncId, syncIds))
    .groupBy(integrationSyncLearners.syncId);
  for (const r of rows) {
    counts.set(r.syncId, {
      learnersSeen: Number(r.seen),
      completionsSeen: Number(r.completions ?? 0),
      credentialsIssued: Number(r.issued ?? 0),
      skipped: Number(r.skipped ?? 0),
      errors: Number(r.errors ?? 0),
    });
  }
  return counts;
}

/** The first SYNC_ERRORS_SHOWN errors of a sync. */
export async function syncErrors(db: Database, syncId: string): Promise<SyncError[]> {
  const rows = await db
    .select()
    .from(integrationSyncLearners)
    .where(and(eq(integrationSyncLearners.syncId, syncId), eq(integrationSyncLearners.state, "error")))
    .orderBy(integrationSyncLearners.lmsUserId)
    .limit(SYNC_ERRORS_SHOWN);
  return rows.map((r) => ({ lmsUserId: r.lmsUserId, code: r.errorCode ?? "ERROR", detail: r.errorDetail ?? "", record: r.record }));
}

/** Whether the integration has a sync queued or running. */
export async function hasActiveSync(db: Database, integrationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: integrationSyncs.id })
    .from(integrationSyncs)
    .where(and(eq(integrationSyncs.integrationId, integrationId), inArray(integrationSyncs.status, ["queued", "running"])))
    .limit(1);
  return row !== undefined;
}
