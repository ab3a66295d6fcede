// The org's latest batches with their progress (counted from their rows, as GET /v1/batches/:id
// does), for the console's overview.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { achievements, batchRows, batches } from "../../db/schema/index.ts";
import type { BatchStatus } from "./store.ts";

export interface RecentBatch {
  id: string;
  achievementName: string;
  status: BatchStatus;
  total: number;
  issued: number;
  failed: number;
  createdAt: Date;
}

/** The org's `limit` newest batches, newest first (batches_org_idx), each with its issued and failed counts. */
export async function recentBatches(db: Database, orgId: string, limit: number): Promise<RecentBatch[]> {
  const rows = await db
    .select({ id: batches.id, status: batches.status, total: batches.total, createdAt: batches.createdAt, achievementName: achievements.name })
    .from(batches)
    .innerJoin(achievements, eq(achievements.id, batches.achievementId))
    .where(eq(batches.orgId, orgId))
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const counts = await db
    .select({ batchId: batchRows.batchId, state: batchRows.state, count: sql<number>`count(*)` })
    .from(batchRows)
    .where(and(inArray(batchRows.batchId, rows.map((r) => r.id)), inArray(batchRows.state, ["issued", "failed"])))
    .groupBy(batchRows.batchId, batchRows.state);
  const count = (batchId: string, state: string) => Number(counts.find((c) => c.batchId === batchId && c.state === state)?.count ?? 0);
  return rows.map((r) => ({ ...r, issued: count(r.id, "issued"), failed: count(r.id, "failed") }));
}
