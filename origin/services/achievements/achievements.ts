// Achievements of an org: create, find (scoped to the org), list and update (the console's edit).
import { and, desc, eq, sql } from "drizzle-orm";
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import type { Database } from "../../db/client.ts";
import { achievements, credentials } from "../../db/schema/index.ts";
import { olderThan, type Position } from "../../http/pagination.ts";

export type AchievementRow = typeof achievements.$inferSelect;

export interface NewAchievement {
  /** A caller-chosen id (the console's form makes it when shown, so its badge preview shows the saved palette); random otherwise. */
  id?: string;
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
    id: input.id ?? crypto.randomUUID(),
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

// Found rows are kept briefly per isolate: the console can edit an achievement (updateAchievement),
// and an edit reaches issuance in other isolates within this TTL. Resolved rows only, never
// promises (workerd cross-request rule).
const MAX_CACHED_ACHIEVEMENTS = 1000;
export const ACHIEVEMENT_CACHE_TTL_MS = 30_000;
const found = new TtlLru<AchievementRow>(MAX_CACHED_ACHIEVEMENTS, ACHIEVEMENT_CACHE_TTL_MS);

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

/** Up to `limit` achievements whose name contains `text` (any case), newest first. */
export function searchAchievements(db: Database, orgId: string, text: string, limit: number) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db
    .select()
    .from(achievements)
    .where(and(eq(achievements.orgId, orgId), sql`lower(${achievements.name}) LIKE ${pattern} ESCAPE '\\'`))
    .orderBy(desc(achievements.createdAt), desc(achievements.id))
    .limit(limit);
}

/** What an edit may change; the name only while no credential of the achievement exists (see hasCredentials). */
export type AchievementChanges = Omit<NewAchievement, "id">;

/**
 * Whether any credential of this achievement was issued. Its name is drawn on the achievement's
 * badge image, which every credential's badge is baked from, so the name is fixed from then on;
 * the other fields reach only credentials issued after the edit (issued ones keep what they were
 * signed with).
 */
export async function hasCredentials(db: Database, orgId: string, achievementId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: credentials.id })
    .from(credentials)
    .where(and(eq(credentials.orgId, orgId), eq(credentials.achievementId, achievementId)))
    .limit(1);
  return Boolean(row);
}

/**
 * Updates the org's achievement; null when the org has none with this id. The name changes only
 * while no credential of it exists, checked in the same statement (a credential issued meanwhile
 * keeps the name it was signed with on its badge): compare the answer's name with the one asked.
 */
export async function updateAchievement(db: Database, orgId: string, id: string, changes: AchievementChanges): Promise<AchievementRow | null> {
  const [row] = await db
    .update(achievements)
    .set({
      name: sql`CASE WHEN EXISTS (SELECT 1 FROM ${credentials} WHERE ${credentials.orgId} = ${orgId} AND ${credentials.achievementId} = ${id}) THEN ${achievements.name} ELSE ${changes.name} END`,
      description: changes.description,
      criteriaNarrative: changes.criteria.narrative,
      imageUrl: changes.imageUrl ?? null,
      tags: changes.tags ?? [],
      notifyRecipients: changes.notifyRecipients ?? true,
    })
    .where(and(eq(achievements.orgId, orgId), eq(achievements.id, id)))
    .returning();
  if (!row) return null;
  found.set(`${orgId}\u0000${id}`, row);
  return row;
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
