// Issuer signing keys: creation (encrypted at rest), the active key for issuance (decrypted once
// per isolate), rotation and listing. Revocation: revoke-key.ts and resign.ts.
import { and, asc, eq, sql } from "drizzle-orm";
import { importJWK, type JWK } from "jose";
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import { generateIssuerKey } from "../../../shared/keys/index.ts";
import type { SigningKey } from "../../../shared/vc-jwt/index.ts";
import type { Database } from "../../db/client.ts";
import { signingKeys } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { forgetActiveDataIntegrityKey, newDataIntegrityKeyColumns } from "./data-integrity-keys.ts";
import { decryptPrivateJwk, encryptPrivateJwk } from "./key-encryption.ts";
import { drizzleStatement, recordKeyRotated } from "../webhooks/events.ts";
import type { TraceContext } from "../../../shared/observability/trace-context.ts";

type SigningKeyInsert = typeof signingKeys.$inferInsert;

/**
 * Generates an ES256 key for the org, with its paired Ed25519 key for Data Integrity proofs, and
 * returns the row to insert (private JWKs encrypted).
 */
export async function newSigningKeyRow(env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">, orgId: string): Promise<SigningKeyInsert> {
  const pair = await generateIssuerKey({ alg: "ES256" });
  return {
    ...(await newDataIntegrityKeyColumns(env, orgId)),
    id: crypto.randomUUID(),
    orgId,
    kid: pair.keyId,
    alg: pair.alg,
    publicJwk: pair.publicJwk as Record<string, unknown>,
    privateJwkEncrypted: await encryptPrivateJwk(env.KEY_ENCRYPTION_SECRET, orgId, pair.keyId, pair.privateJwk),
    status: "active",
    createdAt: new Date(),
  };
}

// Decrypted, imported (non-extractable) private keys, per org and kid. Keys never change once
// written, so entries never go stale; a retired key simply stops being asked for. Settled keys
// only (the rule of shared/cache/ttl-lru.ts): concurrent first uses each decrypt, a failure is not kept.
const MAX_CACHED_KEYS = 256;
const keyCache = new TtlLru<SigningKey>(MAX_CACHED_KEYS, Infinity);

/** The private key of a stored signing key row, decrypted and imported once per isolate. */
export async function unlockSigningKey(
  env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">,
  row: { orgId: string; kid: string; alg: "ES256" | "EdDSA"; privateJwkEncrypted: string },
): Promise<SigningKey> {
  const cacheKey = `${row.orgId}\u0000${row.kid}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const jwk = (await decryptPrivateJwk(env.KEY_ENCRYPTION_SECRET, row.orgId, row.kid, row.privateJwkEncrypted)) as JWK;
  const privateKey = (await importJWK(jwk, row.alg, { extractable: false })) as CryptoKey;
  const key: SigningKey = { keyId: row.kid, alg: row.alg, privateKey };
  keyCache.set(cacheKey, key);
  return key;
}

type ActiveKeyRow = Awaited<ReturnType<typeof activeKeyQuery>>[number];

/**
 * How long an isolate reuses an org's active key row for issuance. A rotation in this isolate
 * takes effect at once; in another isolate within this time. A credential signed with the key
 * just retired still verifies (retired keys stay in the DID document and JWKS).
 */
export const ACTIVE_KEY_TTL_MS = 10_000;
const activeKeys = new TtlLru<ActiveKeyRow>(MAX_CACHED_KEYS, ACTIVE_KEY_TTL_MS); // resolved rows only, never promises

/** The org's active key row for issuance (isolate cache, ACTIVE_KEY_TTL_MS), or null when it has none. */
export async function activeKeyForIssuance(db: Database, orgId: string): Promise<ActiveKeyRow | null> {
  const hit = activeKeys.get(orgId);
  if (hit) return hit;
  const [row] = await activeKeyQuery(db, orgId);
  if (!row) return null;
  activeKeys.set(orgId, row);
  return row;
}

/** The statement selecting an org's active key (usable inside a `db.batch`). */
export function activeKeyQuery(db: Database, orgId: string) {
  return db
    .select({
      orgId: signingKeys.orgId,
      kid: signingKeys.kid,
      alg: signingKeys.alg,
      privateJwkEncrypted: signingKeys.privateJwkEncrypted,
    })
    .from(signingKeys)
    .where(and(eq(signingKeys.orgId, orgId), eq(signingKeys.status, "active")))
    .limit(1);
}

/** Drops the org's active keys (JWT and Data Integrity) from this isolate's cache (a rotation or revocation here takes effect at once). */
export function forgetActiveKey(orgId: string): void {
  activeKeys.delete(orgId);
  forgetActiveDataIntegrityKey(orgId);
}

/**
 * Makes a new active key and retires the current one in one transaction; the partial unique
 * index (one active key per org) makes concurrent rotations safe. Returns the new kid.
 */
export async function rotateSigningKey(
  db: Database,
  env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">,
  orgId: string,
  requestId: string | null = null,
  /** The span rotating it: the key.rotated deliveries continue its trace. */
  trace: TraceContext | null = null,
): Promise<string> {
  const row = await newSigningKeyRow(env, orgId);
  const [event, fanOut] = recordKeyRotated(orgId, row.kid, requestId, trace);
  forgetActiveKey(orgId);
  await db.batch([
    db
      .update(signingKeys)
      .set({ status: "retired", retiredAt: new Date() })
      .where(and(eq(signingKeys.orgId, orgId), eq(signingKeys.status, "active"))),
    db.insert(signingKeys).values(row),
    // The key.rotated webhook event commits with the new key (services/webhooks/events.ts).
    drizzleStatement(db, event),
    drizzleStatement(db, fanOut),
  ]);
  forgetActiveKey(orgId);
  return row.kid;
}

/**
 * Every key of the org, oldest first, public members only, with revocation and re-sign progress.
 * Revoked keys are included: callers that publish keys leave them out (see publication/issuer.ts).
 */
export function listSigningKeys(db: Database, orgId: string) {
  return db
    .select({
      kid: signingKeys.kid,
      alg: signingKeys.alg,
      status: signingKeys.status,
      publicJwk: signingKeys.publicJwk,
      createdAt: signingKeys.createdAt,
      retiredAt: signingKeys.retiredAt,
      revokedAt: signingKeys.revokedAt,
      revocationReason: signingKeys.revocationReason,
      resignTotal: signingKeys.resignTotal,
      resignDone: signingKeys.resignDone,
      diPublicKeyMultibase: signingKeys.diPublicKeyMultibase,
      diCreatedAt: signingKeys.diCreatedAt,
    })
    .from(signingKeys)
    .where(eq(signingKeys.orgId, orgId))
    .orderBy(asc(signingKeys.createdAt), asc(sql`rowid`));
}
