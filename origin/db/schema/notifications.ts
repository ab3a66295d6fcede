import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The recipient notification outbox: one row per (credential, kind), written in the transaction of
 * the change (issuance, revocation). The row is the idempotency record of the send: a job claims it
 * (pending → sending, with a lease) before calling the mail provider, and finds it `sent` on
 * redelivery. A resend (POST /v1/credentials/:id/notify) puts the row back to pending and counts
 * `resends`, which is part of the provider's idempotency key. The recipient's address is not kept
 * here: it is read from the credential when the message is composed.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    credentialId: text("credential_id").notNull(),
    kind: text("kind", { enum: ["issued", "revoked"] }).notNull(),
    orgId: text("org_id").notNull(),
    status: text("status", { enum: ["pending", "sending", "sent", "failed", "bounced", "complained", "skipped"] }).notNull().default("pending"),
    /** Send attempts of the current instance (reset by a resend); past MAX_SEND_ATTEMPTS the row is `failed`. */
    attempts: integer("attempts").notNull().default(0),
    /** How many times the notification was re-sent on request. */
    resends: integer("resends").notNull().default(0),
    /** While `sending`: until when the claiming job owns the row (a crashed job's row is taken over after it). */
    leaseUntil: integer("lease_until"),
    /** When the scheduled sweep may enqueue the row (a grace for the queue; later after a failure). */
    dueAt: integer("due_at").notNull(),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.kind] }), index("notifications_status_due_idx").on(t.status, t.dueAt)],
);

/** Per-org notification choices; an org without a row has the defaults. */
export const orgNotificationSettings = sqliteTable("org_notification_settings", {
  orgId: text("org_id").primaryKey(),
  /** Whether recipients are told when their credential is revoked (default true). */
  notifyOnRevocation: integer("notify_on_revocation", { mode: "boolean" }).notNull().default(true),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
