import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/**
 * Idempotency-Key records (IETF httpapi-idempotency-key-header), per org. The primary key makes
 * "first request wins" a database fact: a concurrent duplicate fails to insert and answers 409.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    orgId: text("org_id").notNull().references(() => orgs.id),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request answers 422. */
    fingerprint: text("fingerprint").notNull(),
    /** "released": the request failed and gave the key up; the next request with it takes it over. */
    state: text("state", { enum: ["in_flight", "completed", "released"] }).notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Kept at least 24 h; expired rows are purged by the scheduled cleanup. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  // expires_at: the scheduled purge deletes by it without scanning the table.
  (t) => [primaryKey({ columns: [t.orgId, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
