// The integrations table: create, read, list, update, delete (always within one org), and the
// view the API answers (never the token).
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { integrationCredentials, integrations, integrationSyncLearners, integrationSyncs } from "../../db/schema/index.ts";
import { olderThan, type Position } from "../../http/pagination.ts";
import { nextSyncAfter, scheduleMinutes } from "./schedule.ts";
import { sealToken } from "./token-crypto.ts";

export type IntegrationRow = typeof integrations.$inferSelect;
export type IntegrationKind = IntegrationRow["kind"];

export interface IntegrationInput {
  kind: IntegrationKind;
  name: string;
  baseUrl: string;
  token: string;
  courseId: string;
  achievementId: string;
  schedule?: string | null;
  requestsPerSecond?: number;
  maxConcurrency?: number;
}

/** Creates an integration (the token sealed); the caller checked the achievement and base URL. */
export async function createIntegration(db: Database, secret: string, orgId: string, input: IntegrationInput): Promise<IntegrationRow> {
  const id = crypto.randomUUID();
  const now = Date.now();
  const minutes = input.schedule ? scheduleMinutes(input.schedule) : null;
  const [row] = await db
    .insert(integrations)
    .values({
      id,
      orgId,
      kind: input.kind,
      name: input.name,
      baseUrl: input.baseUrl,
      tokenEncrypted: await sealToken(secret, orgId, id, input.token),
      courseId: input.courseId,
      achievementId: input.achievementId,
      schedule: input.schedule ?? null,
      scheduleMinutes: minutes,
      nextSyncAt: minutes ? nextSyncAfter(now, minutes) : null,
      requestsPerSecond: input.requestsPerSecond ?? 5,
      maxConcurrency: input.maxConcurrency ?? 2,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .returning();
  return row!;
}

/** The org's integration `id`, or null (another org's id included). */
export async function findIntegration(db: Database, orgId: string, id: string): Promise<IntegrationRow | null> {
  const [row] = await db.select().from(integrations).where(and(eq(integrations.orgId, orgId), eq(integrations.id, id))).limit(1);
  return row ?? null;
}

/** A page of the org's integrations, newest first. */
export function listIntegrations(db: Database, orgId: string, after: Position | null, limit: number): Promise<IntegrationRow[]> {
  return db
    .select()
    .from(integrations)
    .where(and(eq(integrations.orgId, orgId), olderThan(integrations.createdAt, integrations.id, after)))
    .orderBy(desc(integrations.createdAt), desc(integrations.id))
    .limit(limit);
}

export type IntegrationPatch = Partial<IntegrationInput>;

/** Applies a patch (a new token is sealed; a new schedule restarts its clock); null when not the org's. */
export async function updateIntegration(db: Database, secret: string, orgId: string, id: string, patch: IntegrationPatch): Promise<IntegrationRow | null> {
  const now = Date.now();
  const set: Partial<typeof integrations.$inferInsert> = { updatedAt: new Date(now) };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.baseUrl !== undefined) set.baseUrl = patch.baseUrl;
  if (patch.courseId !== undefined) set.courseId = patch.courseId;
  if (patch.achievementId !== undefined) set.achievementId = patch.achievementId;
  if (patch.requestsPerSecond !== undefined) set.requestsPerSecond = patch.requestsPerSecond;
  if (patch.maxConcurrency !== undefined) set.maxConcurrency = patch.maxConcurrency;
  if (patch.token !== undefined) set.tokenEncrypted = await sealToken(secret, orgId, id, patch.token);
  if (patch.schedule !== undefined) {
    const minutes = patch.schedule ? scheduleMinutes(patch.schedule) : null;
    set.schedule = patch.schedule;
    set.scheduleMinutes = minutes;
    set.nextSyncAt = minutes ? nextSyncAfter(now, minutes) : null;
  }
  const [row] = await db.update(integrations).set(set).where(and(eq(integrations.orgId, orgId), eq(integrations.id, id))).returning();
  return row ?? null;
}

/**
 * Deletes an integration with its sync history and issuance records (credentials issued stay). A
 * step of a running sync then finds its sync gone and stops. Returns false when not the org's.
 */
export async function deleteIntegration(db: Database, orgId: string, id: string): Promise<boolean> {
  const row = await findIntegration(db, orgId, id);
  if (!row) return false;
  const syncIds = (await db.select({ id: integrationSyncs.id }).from(integrationSyncs).where(eq(integrationSyncs.integrationId, id))).map((s) => s.id);
  await db.batch([
    db.delete(integrationSyncLearners).where(inArray(integrationSyncLearners.syncId, syncIds.length > 0 ? syncIds : [""])),
    db.delete(integrationSyncs).where(eq(integrationSyncs.integrationId, id)),
    db.delete(integrationCredentials).where(eq(integrationCredentials.integrationId, id)),
    db.delete(integrations).where(and(eq(integrations.orgId, orgId), eq(integrations.id, id))),
  ]);
  return true;
}
