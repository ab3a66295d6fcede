import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Issuer logos (services/issuer-profile): every logo an org uploaded, content-addressed by the
 * SHA-256 of its bytes (hex). The org's current one is `orgs.logo_digest`; older ones are kept,
 * because the credentials issued while they were current name them (the VC-JWT never changes) and
 * their emails and certificates draw them. PNG or JPEG only, at most 256 KB and 2048 px a side.
 */
export const issuerLogos = sqliteTable(
  "issuer_logos",
  {
    orgId: text("org_id").notNull(),
    digest: text("digest").notNull(),
    contentType: text("content_type", { enum: ["image/png", "image/jpeg"] }).notNull(),
    bytes: blob("bytes", { mode: "buffer" }).notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.digest] }), index("issuer_logos_digest_idx").on(t.digest)],
);
