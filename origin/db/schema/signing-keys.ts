import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/**
 * An issuer's signing keys. Exactly one is `active` per org (new credentials use it); rotated
 * keys become `retired` but stay published forever so old credentials keep verifying. A
 * compromised key becomes `revoked`: it leaves the DID document and JWKS, and every credential it
 * signed is re-signed with the active key (`resignTotal`/`resignDone` count that work).
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
    status: text("status", { enum: ["active", "retired", "revoked"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** The org's reason for revoking the key; private to the org (never published). */
    revocationReason: text("revocation_reason"),
    /** Credentials signed by this key when it was revoked (plus any found later), and how many are re-signed. */
    resignTotal: integer("resign_total").notNull().default(0),
    resignDone: integer("resign_done").notNull().default(0),
  },
  (t) => [
    uniqueIndex("signing_keys_org_kid_uq").on(t.orgId, t.kid),
    // At most one active key per org, enforced by the database.
    uniqueIndex("signing_keys_one_active_uq").on(t.orgId).where(sql`status = 'active'`),
    index("signing_keys_org_idx").on(t.orgId),
  ],
);
