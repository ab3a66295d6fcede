import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/**
 * A revocation status list (W3C Bitstring Status List) of one org. Which bits are set is derived
 * from the credentials table (status = 'revoked'); `version` increases on every change.
 */
export const statusLists = sqliteTable(
  "status_lists",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    size: integer("size").notNull(),
    /** How many indexes are taken; the list is full when it reaches `size`. */
    allocated: integer("allocated").notNull().default(0),
    version: integer("version").notNull().default(0),
    /**
     * The highest `version` the edge is known to hold (KV and the Durable Object), recorded when a
     * publication completes; NULL until the first one. The scheduled reconciler republishes every
     * list where it is behind `version`, so a revocation whose job was lost still reaches the edge.
     */
    publishedVersion: integer("published_version"),
    /** The last signed BitstringStatusListCredential (VC-JWT). */
    jwt: text("jwt"),
    /**
     * validUntil of the list credential last published to KV and the edge's authority; null until
     * a publication with a validity period. The origin's cron re-signs lists before it passes.
     */
    validUntil: integer("valid_until", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    index("status_lists_org_idx").on(t.orgId),
    index("status_lists_valid_until_idx").on(t.validUntil),
    // Only lists the edge lags behind: the reconciler's scan reads this small index every minute.
    index("status_lists_unpublished_idx")
      .on(t.id)
      .where(sql`${t.publishedVersion} IS NULL OR ${t.publishedVersion} < ${t.version}`),
  ],
);
