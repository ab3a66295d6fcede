import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Progress of resumable backfills run by the scheduled maintenance (origin/scheduled.ts): how far
 * each has gone (`cursor`, the last key processed) and when it finished, after which it costs one
 * read per run.
 */
export const backfills = sqliteTable("backfills", {
  name: text("name").primaryKey(),
  cursor: text("cursor").notNull().default(""),
  processed: integer("processed").notNull().default(0),
  finishedAt: integer("finished_at"),
});
