// The org's latest LMS syncs across its integrations, for the console's overview.
import { desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { integrations, integrationSyncs } from "../../db/schema/index.ts";
import { syncCounts, type SyncCounts, type SyncRow } from "./sync-store.ts";

export interface RecentSync extends Pick<SyncRow, "id" | "integrationId" | "status" | "createdAt" | "finishedAt"> {
  integrationName: string;
  counts: SyncCounts;
}

/**
 * The org's `limit` newest syncs, newest first, with their counts. Reached through the org's
 * integrations (integration_syncs is indexed by integration, not by org).
 */
export async function recentSyncs(db: Database, orgId: string, limit: number): Promise<RecentSync[]> {
  const rows = await db
    .select({
      id: integrationSyncs.id,
      integrationId: integrationSyncs.integrationId,
      status: integrationSyncs.status,
      createdAt: integrationSyncs.createdAt,
      finishedAt: integrationSyncs.finishedAt,
      integrationName: integrations.name,
    })
    .from(integrationSyncs)
    .innerJoin(integrations, eq(integrations.id, integrationSyncs.integrationId))
    .where(inArray(integrationSyncs.integrationId, db.select({ id: integrations.id }).from(integrations).where(eq(integrations.orgId, orgId))))
    .orderBy(desc(integrationSyncs.createdAt), desc(integrationSyncs.id))
    .limit(limit);
  const counts = await syncCounts(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, counts: counts.get(r.id)! }));
}
