// Issuer Ed25519 keys for Data Integrity proofs (eddsa-rdfc-2022). Each signing_keys row pairs its
// JWT key with one, so the Ed25519 key is made, rotated, retired and revoked with it, by the same
// API and rules (routes/keys.ts). Rows made before Data Integrity have none: the active row gets
// its pair on first use (`activeDataIntegrityKey`), and the issuer is republished to list it.
import { and, eq, isNull } from "drizzle-orm";
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import { generateEd25519Jwk, publicKeyMultibase, type Ed25519PrivateJwk } from "../../../shared/data-integrity/index.ts";
import type { Database } from "../../db/client.ts";
import { signingKeys } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { decryptPrivateJwk, encryptPrivateJwk } from "./key-encryption.ts";

type Env = Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">;

/** The Data Integrity columns of a new signing_keys row: a fresh Ed25519 key, encrypted at rest. */
export async function newDataIntegrityKeyColumns(env: Env, orgId: string) {
  const privateJwk = await generateEd25519Jwk();
  const multibase = publicKeyMultibase({ kty: "OKP", crv: "Ed25519", x: privateJwk.x });
  return {
    diPublicKeyMultibase: multibase,
    // The multibase plays the kid's part in the ciphertext's associated data (key-encryption.ts).
    diPrivateJwkEncrypted: await encryptPrivateJwk(env.KEY_ENCRYPTION_SECRET, orgId, multibase, privateJwk),
    diCreatedAt: new Date(),
  };
}

/** An org's Ed25519 signing key, unlocked. */
export interface DataIntegrityKey {
  orgId: string;
  /** The publicKeyMultibase, the fragment of the verification method id. */
  multibase: string;
  privateJwk: Ed25519PrivateJwk;
}

const MAX_CACHED_KEYS = 256;
// Decrypted keys never change once written (settled values only: shared/cache/ttl-lru.ts).
const unlocked = new TtlLru<DataIntegrityKey>(MAX_CACHED_KEYS, Infinity);
/** Same rule as signing-keys.ts ACTIVE_KEY_TTL_MS: a rotation elsewhere is seen within this time. */
const ACTIVE_TTL_MS = 10_000;
const active = new TtlLru<{ multibase: string; sealed: string }>(MAX_CACHED_KEYS, ACTIVE_TTL_MS);

async function unlock(env: Env, orgId: string, multibase: string, sealed: string): Promise<DataIntegrityKey> {
  const cacheKey = `${orgId}\u0000${multibase}`;
  const hit = unlocked.get(cacheKey);
  if (hit) return hit;
  const privateJwk = (await decryptPrivateJwk(env.KEY_ENCRYPTION_SECRET, orgId, multibase, sealed)) as unknown as Ed25519PrivateJwk;
  const key = { orgId, multibase, privateJwk };
  unlocked.set(cacheKey, key);
  return key;
}

/**
 * The org's active Ed25519 key, unlocked; `created` is true when this call gave the active row its
 * pair (the caller republishes the issuer so that its did.json lists the key). Null when the org
 * has no active key at all.
 */
export async function activeDataIntegrityKey(db: Database, env: Env, orgId: string): Promise<{ key: DataIntegrityKey; created: boolean } | null> {
  const hit = active.get(orgId);
  if (hit) return { key: await unlock(env, orgId, hit.multibase, hit.sealed), created: false };
  const select = () =>
    db
      .select({ id: signingKeys.id, multibase: signingKeys.diPublicKeyMultibase, sealed: signingKeys.diPrivateJwkEncrypted })
      .from(signingKeys)
      .where(and(eq(signingKeys.orgId, orgId), eq(signingKeys.status, "active")))
      .limit(1);
  let [row] = await select();
  if (!row) return null;
  let created = false;
  if (!row.multibase || !row.sealed) {
    // Lazily paired: only a row still without a pair is updated, so concurrent first uses agree on
    // one key (the loser reads the winner's).
    const columns = await newDataIntegrityKeyColumns(env, orgId);
    const updated = await db
      .update(signingKeys)
      .set(columns)
      .where(and(eq(signingKeys.id, row.id), isNull(signingKeys.diPublicKeyMultibase)));
    created = updated.rowsAffected > 0;
    [row] = await select();
    if (!row?.multibase || !row.sealed) return null; // rotated away meanwhile: the next call sees the new key
  }
  active.set(orgId, { multibase: row.multibase, sealed: row.sealed });
  return { key: await unlock(env, orgId, row.multibase, row.sealed), created };
}

/** Drops the org's active Ed25519 key from this isolate's cache (after a rotation or revocation here). */
export function forgetActiveDataIntegrityKey(orgId: string): void {
  active.delete(orgId);
}

/** The statuses of the org's Ed25519 keys, by publicKeyMultibase (keys without a pair are absent). */
export async function dataIntegrityKeyStatuses(db: Database, orgId: string): Promise<Map<string, "active" | "retired" | "revoked">> {
  const rows = await db
    .select({ multibase: signingKeys.diPublicKeyMultibase, status: signingKeys.status })
    .from(signingKeys)
    .where(eq(signingKeys.orgId, orgId));
  return new Map(rows.flatMap((r) => (r.multibase ? [[r.multibase, r.status] as const] : [])));
}
