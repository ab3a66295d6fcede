import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** How often each credential's public page or verification API was hit (flushed from the edge). */
export const scanCounts = sqliteTable("scan_counts", {
  credentialId: text("credential_id").primaryKey(),
  count: integer("count").notNull().default(0),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
