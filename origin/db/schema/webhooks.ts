import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/** The event types an endpoint can subscribe to (`webhook.test` is sent on request only). */
export const WEBHOOK_EVENT_TYPES = ["credential.issued", "credential.revoked", "batch.completed", "key.rotated"] as const;
export type SubscribableEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type WebhookEventType = SubscribableEventType | "webhook.test";

/**
 * An org's webhook receivers. The signing secret is stored encrypted (AES-GCM, bound to org and
 * endpoint id); after a rotation the previous one is kept until `previous_secret_expires_at` and
 * both signatures are sent. An endpoint that answered 410, or failed too often in a row for too long, is
 * disabled with the reason in `disabled_reason`.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: text("events", { mode: "json" }).$type<SubscribableEventType[]>().notNull(),
    secretEncrypted: text("secret_encrypted").notNull(),
    previousSecretEncrypted: text("previous_secret_encrypted"),
    previousSecretExpiresAt: integer("previous_secret_expires_at", { mode: "timestamp_ms" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    /** Failed attempts since the last successful one (any delivery); reset by a success or re-enabling. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** When the current run of failures began (null after a success or re-enabling): a short outage never disables. */
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * The webhook outbox: one row per event, written in the transaction of the change that causes it.
 * `dedupe_key` (e.g. `batch.completed:<batch id>`) makes a repeated cause record no second event.
 * `data` is the event's `data` object as sent.
 */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(), // msg_<32 hex>: the webhook-id header, stable across retries
    orgId: text("org_id").notNull().references(() => orgs.id),
    type: text("type").$type<WebhookEventType>().notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    data: text("data").notNull(),
    requestId: text("request_id"),
    /** W3C trace context of the span that recorded the event: every attempt of its deliveries continues that trace. */
    traceparent: text("traceparent"),
    tracestate: text("tracestate"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("webhook_events_dedupe_idx").on(t.dedupeKey), index("webhook_events_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * One row per (event, endpoint): its state, the attempts of its current schedule, when the next
 * attempt is due, and a lease while an attempt is in flight (at most a few per endpoint).
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull().references(() => webhookEvents.id),
    endpointId: text("endpoint_id").notNull().references(() => webhookEndpoints.id),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** pending: waiting for an attempt; delivered: a 2xx answer; dead: out of attempts (or 410). */
    state: text("state", { enum: ["pending", "delivered", "dead"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_idx").on(t.eventId, t.endpointId),
    index("webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_lease_idx").on(t.endpointId, t.leaseUntil),
  ],
);

/** Every attempt of a delivery, for the deliveries list. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: text("delivery_id").notNull().references(() => webhookDeliveries.id),
    attempt: integer("attempt").notNull(), // 1-based across replays
    attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);
