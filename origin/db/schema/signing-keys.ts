import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/**
 * An issuer's signing keys. Exactly one is `active` per org (new credentials use it); rotated
 * keys become `retired` but stay published forever so old credentials keep verifying.
 */
export const signingKeys = sqliteTable(
  "signing_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** The key id, the fragment of the JWT `kid` (`<issuer did>#<kid>`). */
    kid: text("kid").notNull(),
    alg: text("alg", { enum: ["ES256", "EdDSA"] }).notNull(),
    publicJwk: text("public_jwk", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The private JWK, encrypted (AES-GCM) with the Worker's key-encryption secret. */
    privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
    status: text("status", { enum: ["active", "retired"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("signing_keys_org_kid_uq").on(t.orgId, t.kid),
    // At most one active key per org, enforced by the database.
    uniqueIndex("signing_keys_one_active_uq").on(t.orgId).where(sql`status = 'active'`),
    index("signing_keys_org_idx").on(t.orgId),
  ],
);
