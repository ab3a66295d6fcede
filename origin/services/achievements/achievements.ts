// Achievements of an org: create, find (scoped to the org) and list.
import { and, desc, eq } from "drizzle-orm";
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import type { Database } from "../../db/client.ts";
import { achievements } from "../../db/schema/index.ts";
import { olderThan, type Position } from "../../http/pagination.ts";

export type AchievementRow = typeof achievements.$inferSelect;

export interface NewAchievement {
  name: string;
  description: string;
  criteria: { narrative: string };
  imageUrl?: string;
  tags?: string[];
  /** Email recipients when a credential of this achievement is issued (default true). */
  notifyRecipients?: boolean;
}

/** Stores an achievement of the org. */
export async function createAchievement(db: Database, orgId: string, input: NewAchievement): Promise<AchievementRow> {
  const row: AchievementRow = {
    id: crypto.randomUUID(),
    orgId,
    name: input.name,
    description: input.description,
    criteriaNarrative: input.criteria.narrative,
    imageUrl: input.imageUrl ?? null,
    tags: input.tags ?? [],
    notifyRecipients: input.notifyRecipients ?? true,
    createdAt: new Date(),
  };
  await db.insert(achievements).values(row);
  return row;
}

// Achievements are immutable once created (no update or delete), so found rows can be kept for
// the isolate's lifetime. Resolved rows only, never promises (workerd cross-request rule).
const MAX_CACHED_ACHIEVEMENTS = 1000;
const found = new TtlLru<AchievementRow>(MAX_CACHED_ACHIEVEMENTS, Infinity);

/** The org's achievement with this id, or null (another org's achievement is null too). */
export async function findAchievement(db: Database, orgId: string, id: string): Promise<AchievementRow | null> {
  const cacheKey = `${orgId}\u0000${id}`;
  const hit = found.get(cacheKey);
  if (hit) return hit;
  const [row] = await db
    .select()
    .from(achievements)
    .where(and(eq(achievements.orgId, orgId), eq(achievements.id, id)))
    .limit(1);
  if (!row) return null;
  found.set(cacheKey, row);
  return row;
}

/** Up to `limit` achievements after `after`, newest first. */
export function listAchievements(db: Database, orgId: string, after: Position | null, limit: number) {
  return db
    .select()
    .from(achievements)
    .where(and(eq(achievements.orgId, orgId), olderThan(achievements.createdAt, achievements.id, after)))
    .orderBy(desc(achievements.createdAt), desc(achievements.id))
    .limit(limit);
}

/** The API representation of an achievement. */
export function achievementView(row: AchievementRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    criteria: { narrative: row.criteriaNarrative },
    imageUrl: row.imageUrl,
    tags: row.tags,
    notifyRecipients: row.notifyRecipients,
    createdAt: row.createdAt.toISOString(),
  };
}
