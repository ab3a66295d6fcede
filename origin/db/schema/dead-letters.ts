import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Jobs that exhausted their retries on laurel-jobs and arrived on the dead-letter queue: kept for
 * an operator to inspect and replay, never silently dropped. One row per queue message id.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    messageId: text("message_id").primaryKey(),
    queue: text("queue").notNull(),
    jobType: text("job_type"),
    requestId: text("request_id"),
    /** The job as JSON, so it can be re-sent as is. */
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    replayedAt: integer("replayed_at", { mode: "timestamp_ms" }),
    /** Failed re-drives by the scheduled reconciler, and when it may try again (backoff). */
    redriveAttempts: integer("redrive_attempts").notNull().default(0),
    redriveAfter: integer("redrive_after", { mode: "timestamp_ms" }),
  },
  (t) => [index("dead_letters_received_idx").on(t.receivedAt)],
);
