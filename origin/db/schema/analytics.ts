import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Events counted at the edge per credential and UTC day (docs/api.md "Analytics"): humans' figures
 * and, in the `bot_` columns, self-announced bots'. `org_id` and `achievement_id` are copied from the
 * credential when the first count of a day arrives, so the org summary reads one index range.
 */
export const credentialDailyCounts = sqliteTable(
  "credential_daily_counts",
  {
    credentialId: text("credential_id").notNull(),
    /** UTC day, YYYY-MM-DD. */
    day: text("day").notNull(),
    orgId: text("org_id").notNull(),
    achievementId: text("achievement_id").notNull(),
    views: integer("views").notNull().default(0),
    verifications: integer("verifications").notNull().default(0),
    shares: integer("shares").notNull().default(0),
    images: integer("images").notNull().default(0),
    embeds: integer("embeds").notNull().default(0),
    botViews: integer("bot_views").notNull().default(0),
    botVerifications: integer("bot_verifications").notNull().default(0),
    botShares: integer("bot_shares").notNull().default(0),
    botImages: integer("bot_images").notNull().default(0),
    botEmbeds: integer("bot_embeds").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.day] }), index("credential_daily_counts_org_day_idx").on(t.orgId, t.day)],
);

/**
 * Flush ids of the edge's count chunks already applied (written in the transaction of their
 * increments): a retried flush is recognised and not added twice. Purged after FLUSH_ID_RETENTION.
 */
export const appliedCountFlushes = sqliteTable("applied_count_flushes", {
  flushId: text("flush_id").primaryKey(),
  appliedAt: integer("applied_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("applied_count_flushes_applied_at_idx").on(t.appliedAt)]);
