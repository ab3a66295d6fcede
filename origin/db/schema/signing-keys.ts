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
    /**
     * The Ed25519 key for Data Integrity proofs (eddsa-rdfc-2022) paired with this key: it is made,
     * retired and revoked with it. Its public key as Multikey `publicKeyMultibase`, which is also the
     * fragment of its verification method id (`<issuer did>#<multibase>`). Null on keys made before
     * Data Integrity; the active one gets its pair on first use (services/signing/data-integrity-keys.ts).
     */
    diPublicKeyMultibase: text("di_public_key_multibase"),
    /** The Ed25519 private JWK, encrypted like `privateJwkEncrypted` (bound to the org and the multibase). */
    diPrivateJwkEncrypted: text("di_private_jwk_encrypted"),
    /** When the Data Integrity key was made (part of the issuer projection's version). */
    diCreatedAt: integer("di_created_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("signing_keys_org_kid_uq").on(t.orgId, t.kid),
    // At most one active key per org, enforced by the database.
    uniqueIndex("signing_keys_one_active_uq").on(t.orgId).where(sql`status = 'active'`),
    index("signing_keys_org_idx").on(t.orgId),
  ],
);
