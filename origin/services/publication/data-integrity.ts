// Data Integrity proofs (eddsa-rdfc-2022) on published credentials. JSON-LD canonicalization costs
// far more than the VC-JWT's signature, so it never runs in an API request nor in the batch.issue
// job: the publication consumers (credential.publish, re-signing, the reconciler's republication)
// and, for batch-issued credentials, the credential.prove jobs and their sweep (batch-proofs.ts)
// call `proveCredentials` after the credential's projection is in KV. The proof secures the VC-JWT's
// credential content (shared/vc-jwt/credential-json.ts, what `/c/:id.json` serves); it is kept in
// credential_proofs and written to KV `cred:<id>:proof`. A republication serves the kept proof
// (same `created`) unless its key was revoked, and then signs a new one with the active key. Two
// runs that race (a redelivered job beside the sweep) may both sign, but only the first stored
// proof is kept and both write that one to KV: a credential never shows two proofs by the same key.
import { eq, inArray, sql } from "drizzle-orm";
import { signDataIntegrity } from "../../../shared/data-integrity/index.ts";
import { kvKeys, type CredentialProofProjection } from "../../../shared/kv-keys.ts";
import { credentialJsonOfJwt } from "../../../shared/vc-jwt/credential-json.ts";
import type { Database } from "../../db/client.ts";
import { credentialProofs, credentials, orgs } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { originMetrics } from "../../metrics.ts";
import { activeDataIntegrityKey, dataIntegrityKeyStatuses, type DataIntegrityKey } from "../signing/data-integrity-keys.ts";
import { publishIssuer } from "./issuer.ts";
import { didForSlug } from "./public-url.ts";

type Env = Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET">;

/** KV writes in flight at once. */
const PUT_CONCURRENCY = 32;

/** What became of one credential: signed now, its kept proof (re)written, or no such credential. */
export type ProofOutcome = "signed" | "kept" | "missing";

/** The verification method id of an org's Ed25519 key: `<issuer did>#<publicKeyMultibase>`. */
export function verificationMethodOf(env: Pick<OriginEnv, "PUBLIC_BASE_URL">, orgSlug: string, multibase: string): string {
  return `${didForSlug(env, orgSlug)}#${multibase}`;
}

/**
 * Gives each credential its Data Integrity proof: signs the ones without a proof (or whose proof's
 * key was revoked) with the org's active Ed25519 key, stores the proofs, then writes every proof to
 * KV. Throws when a signature, the database or KV fails (the caller's job is retried; all of this is
 * idempotent). An org whose active key only now got its Ed25519 pair has its issuer republished first.
 * `beforeSign` runs before each signature (batch proofs give way to the API there, batch-proofs.ts).
 */
export async function proveCredentials(
  db: Database,
  env: Env,
  ids: readonly string[],
  opts: { beforeSign?: () => Promise<void> } = {},
): Promise<Map<string, ProofOutcome>> {
  const outcomes = new Map<string, ProofOutcome>(ids.map((id) => [id, "missing"]));
  if (ids.length === 0) return outcomes;
  const rows = await db
    .select({
      id: credentials.id,
      orgId: credentials.orgId,
      jwt: credentials.jwt,
      orgSlug: orgs.slug,
      proof: credentialProofs.proof,
      keyMultibase: credentialProofs.keyMultibase,
    })
    .from(credentials)
    .innerJoin(orgs, eq(orgs.id, credentials.orgId))
    .leftJoin(credentialProofs, eq(credentialProofs.credentialId, credentials.id))
    .where(ids.length === 1 ? eq(credentials.id, ids[0]!) : inArray(credentials.id, [...ids]));

  const byOrg = new Map<string, typeof rows>();
  for (const row of rows) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row]);

  const proofs: { credentialId: string; orgId: string; keyMultibase: string; proof: Record<string, unknown>; fresh: boolean }[] = [];
  for (const [orgId, orgRows] of byOrg) {
    const statuses = orgRows.some((r) => r.proof) ? await dataIntegrityKeyStatuses(db, orgId) : new Map<string, string>();
    let key: DataIntegrityKey | null = null;
    for (const row of orgRows) {
      const status = row.keyMultibase ? statuses.get(row.keyMultibase) : undefined;
      if (row.proof && row.keyMultibase && status !== undefined && status !== "revoked") {
        proofs.push({ credentialId: row.id, orgId, keyMultibase: row.keyMultibase, proof: row.proof, fresh: false });
        continue;
      }
      key ??= await signingKey(db, env, orgId);
      await opts.beforeSign?.();
      const secured = await signDataIntegrity(credentialJsonOfJwt(row.jwt), {
        privateJwk: key.privateJwk,
        verificationMethod: verificationMethodOf(env, row.orgSlug, key.multibase),
      });
      proofs.push({ credentialId: row.id, orgId, keyMultibase: key.multibase, proof: secured.proof as unknown as Record<string, unknown>, fresh: true });
    }
  }

  const fresh = proofs.filter((p) => p.fresh);
  if (fresh.length > 0) {
    const upserts = fresh.map((p) =>
      db
        .insert(credentialProofs)
        .values({ credentialId: p.credentialId, orgId: p.orgId, keyMultibase: p.keyMultibase, proof: p.proof })
        .onConflictDoUpdate({
          target: credentialProofs.credentialId,
          set: { keyMultibase: p.keyMultibase, proof: p.proof, createdAt: sql`(unixepoch('subsec') * 1000)` },
          // Replaces only a proof by another (revoked) key; one by the same key stored meanwhile stays.
          setWhere: sql`${credentialProofs.keyMultibase} <> excluded.key_multibase`,
        }),
    );
    await db.batch(upserts as [(typeof upserts)[number], ...typeof upserts]);
    // What is stored now is what KV gets: a race lost above serves the winner's proof.
    const stored = await db
      .select({ credentialId: credentialProofs.credentialId, proof: credentialProofs.proof })
      .from(credentialProofs)
      .where(inArray(credentialProofs.credentialId, fresh.map((p) => p.credentialId)));
    const storedProofs = new Map(stored.map((r) => [r.credentialId, r.proof]));
    for (const p of fresh) {
      const kept = storedProofs.get(p.credentialId);
      if (kept && kept.proofValue !== p.proof.proofValue) Object.assign(p, { proof: kept, fresh: false });
    }
  }
  let next = 0;
  const put = async () => {
    while (next < proofs.length) {
      const p = proofs[next++]!;
      const value: CredentialProofProjection = { proof: p.proof };
      await env.PROJECTIONS.put(kvKeys.credentialProof(p.credentialId), JSON.stringify(value));
      outcomes.set(p.credentialId, p.fresh ? "signed" : "kept");
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, proofs.length) }, put));
  originMetrics.increment("laurel_credential_proofs_signed_total", proofs.filter((p) => p.fresh).length);
  return outcomes;
}

async function signingKey(db: Database, env: Env, orgId: string): Promise<DataIntegrityKey> {
  const active = await activeDataIntegrityKey(db, env, orgId);
  if (!active) throw new Error(`org ${orgId} has no active signing key`);
  // Paired just now (an org from before Data Integrity): its did.json must list the key before any
  // proof by it is served, so the issuer is published here, before the proofs.
  if (active.created) await publishIssuer(db, env, orgId);
  return active.key;
}

/** The stored proof of a credential, or null before the publication added it. */
export async function storedProof(db: Database, credentialId: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select({ proof: credentialProofs.proof }).from(credentialProofs).where(eq(credentialProofs.credentialId, credentialId)).limit(1);
  return row?.proof ?? null;
}
