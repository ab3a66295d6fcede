import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A tenant: a university, training provider or company that issues credentials. */
export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  url: text("url"),
  /** The current issuer logo (`issuer_logos.digest`), named as the issuer Profile's `image` in new credentials; NULL: none. */
  logoDigest: text("logo_digest"),
  /**
   * The issuer projection version (`issuer:<slug>`: latest key creation or retirement time) last
   * published; NULL until the first publication. The scheduled reconciler republishes orgs whose
   * keys changed after it.
   */
  issuerPublishedVersion: integer("issuer_published_version"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
