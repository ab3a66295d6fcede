import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/** What a credential certifies (OB 3.0 Achievement). */
export const achievements = sqliteTable(
  "achievements",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    name: text("name").notNull(),
    description: text("description").notNull(),
    criteriaNarrative: text("criteria_narrative").notNull(),
    imageUrl: text("image_url"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Whether recipients are emailed when a credential of this achievement is issued (default true). */
    notifyRecipients: integer("notify_recipients", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("achievements_org_created_idx").on(t.orgId, t.createdAt, t.id)],
);
