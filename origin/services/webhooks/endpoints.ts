// The org's webhook endpoints: create (the secret is answered once), list, read, change, delete,
// rotate the secret (the previous one keeps signing for PREVIOUS_SECRET_GRACE_MS). Every query is
// scoped by org: another org's endpoint id is simply not found.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, type SubscribableEventType } from "../../db/schema/index.ts";
import { newWebhookSecret, sealWebhookSecret } from "./secrets.ts";

/** Endpoints an org may have. */
export const MAX_ENDPOINTS_PER_ORG = 20;
/** How long the previous secret still signs after a rotation (both signatures are sent). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** An endpoint as the API answers it (never the secret). */
export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now() ? row.previousSecretExpiresAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type EndpointView = ReturnType<typeof endpointView>;

/** Counts the org's endpoints (for the per-org limit). */
export async function countEndpoints(db: Database, orgId: string): Promise<number> {
  return (await db.$count(webhookEndpoints, eq(webhookEndpoints.orgId, orgId)));
}

/** Creates an endpoint; answers it with its secret (shown only here and after a rotation). */
export async function createEndpoint(
  db: Database,
  masterSecret: string,
  orgId: string,
  input: { url: string; events: SubscribableEventType[]; description?: string },
): Promise<EndpointView & { secret: string }> {
  const id = crypto.randomUUID();
  const secret = newWebhookSecret();
  const now = new Date();
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      id,
      orgId,
      url: input.url,
      description: input.description ?? "",
      events: input.events,
      secretEncrypted: await sealWebhookSecret(masterSecret, orgId, id, secret),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return { ...endpointView(row!), secret };
}

export async function listEndpoints(db: Database, orgId: string): Promise<EndpointView[]> {
  const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, orgId)).orderBy(desc(webhookEndpoints.createdAt));
  return rows.map(endpointView);
}

export async function findEndpoint(db: Database, orgId: string, id: string): Promise<EndpointRow | null> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)))
    .limit(1);
  return row ?? null;
}

/** Changes url, events, description or enabled; re-enabling clears the disable reason and the failure count. */
export async function updateEndpoint(
  db: Database,
  orgId: string,
  id: string,
  change: { url?: string; events?: SubscribableEventType[]; description?: string; enabled?: boolean },
): Promise<EndpointView | null> {
  const set: Partial<typeof webhookEndpoints.$inferInsert> = { updatedAt: new Date() };
  if (change.url !== undefined) set.url = change.url;
  if (change.events !== undefined) set.events = change.events;
  if (change.description !== undefined) set.description = change.description;
  if (change.enabled === true) Object.assign(set, { enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null });
  if (change.enabled === false) Object.assign(set, { enabled: false, disabledReason: "Disabled through the API." });
  const [row] = await db
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)))
    .returning();
  return row ? endpointView(row) : null;
}

/** Deletes the endpoint with its deliveries and their attempts (events stay: other endpoints may have them). */
export async function deleteEndpoint(db: Database, orgId: string, id: string): Promise<boolean> {
  const mine = and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.orgId, orgId));
  const [, , deleted] = await db.batch([
    db.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(mine))),
    db.delete(webhookDeliveries).where(mine),
    db
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)))
      .returning({ id: webhookEndpoints.id }),
  ]);
  return deleted.length > 0;
}

/**
 * Gives the endpoint a new secret; the current one becomes the previous one, which keeps signing
 * (a second `v1,` entry) for PREVIOUS_SECRET_GRACE_MS. Null when the org has no such endpoint.
 */
export async function rotateEndpointSecret(
  db: Database,
  masterSecret: string,
  orgId: string,
  id: string,
): Promise<{ id: string; secret: string; previousSecretExpiresAt: string } | null> {
  const current = await findEndpoint(db, orgId, id);
  if (!current) return null;
  const secret = newWebhookSecret();
  const expiresAt = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      secretEncrypted: await sealWebhookSecret(masterSecret, orgId, id, secret),
      previousSecretEncrypted: current.secretEncrypted,
      previousSecretExpiresAt: expiresAt,
      updatedAt: new Date(),
    })
    // Only over the secret we read: a concurrent rotation makes this one not found rather than lose a secret.
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id), eq(webhookEndpoints.secretEncrypted, current.secretEncrypted)))
    .returning({ id: webhookEndpoints.id });
  if (!row) return null;
  return { id, secret, previousSecretExpiresAt: expiresAt.toISOString() };
}
