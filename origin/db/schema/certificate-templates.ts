import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * An achievement's certificate template (services/certificates): page size, accent colour and
 * title of its printable certificates. No row: the defaults (A4, the house green, "Certificate of
 * achievement"). Apart from `achievements`, which never change once created, because a template can.
 */
export const certificateTemplates = sqliteTable("certificate_templates", {
  achievementId: text("achievement_id").primaryKey(),
  orgId: text("org_id").notNull(),
  pageSize: text("page_size", { enum: ["A4", "Letter"] }).notNull().default("A4"),
  /** `#rrggbb`, lower-case. */
  accentColor: text("accent_color"),
  title: text("title"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
