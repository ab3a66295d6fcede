import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The Data Integrity proof (eddsa-rdfc-2022) of each credential, added after issuance by the
 * publication consumers (services/publication/data-integrity.ts). Only the `proof` object is kept:
 * the document it secures is the VC-JWT's `vc` content (the JWT registered claims left out), so the
 * secured credential is that content plus this proof. Kept so that a republication serves the same
 * proof (same `created`) unless its key was revoked.
 */
export const credentialProofs = sqliteTable(
  "credential_proofs",
  {
    credentialId: text("credential_id").primaryKey(),
    orgId: text("org_id").notNull(),
    /** The signing key's `publicKeyMultibase` (signing_keys.di_public_key_multibase). */
    keyMultibase: text("key_multibase").notNull(),
    proof: text("proof", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("credential_proofs_org_key_idx").on(t.orgId, t.keyMultibase)],
);
