// key.resign: re-signs, in bounded chunks, every credential a revoked key signed with the org's
// active key, and republishes it (its own KV projection, or its credential set's value). The
// credential keeps its id, status entry, dates and recipient hash: only the signature and `kid` change.
import { and, asc, eq, gt, gte, inArray, like, or, sql } from "drizzle-orm";
import { credentialSetIdOf } from "../../../shared/credential-sets.ts";
import { decodeCompactJws, signCredentialJwt, type SignableCredential } from "../../../shared/vc-jwt/index.ts";
import type { Database } from "../../db/client.ts";
import { credentials, signingKeys } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { publishCredentials } from "../publication/credential.ts";
import { republishCredentialSet } from "../publication/credential-set.ts";
import { proveCredentials } from "../publication/data-integrity.ts";
import { ACTIVE_KEY_TTL_MS, activeKeyQuery, unlockSigningKey } from "./signing-keys.ts";

export type ResignJob = Extract<Job, { type: "key.resign" }>;

/**
 * Credentials per key.resign job (more when the chunk finishes a credential set: at most
 * RESIGN_CHUNK + 124): a few hundred database rows and KV writes, well inside one invocation.
 */
export const RESIGN_CHUNK = 100;

/**
 * When the last pass (the sweep) starts, after the revocation. Until ACTIVE_KEY_TTL_MS has passed,
 * an isolate that cached the old active key may still issue with it, and a batch chunk signed just
 * before may still be inserting: the sweep re-signs those too.
 */
export const RESIGN_SWEEP_DELAY_MS = ACTIVE_KEY_TTL_MS + 110_000;

/** The claims signCredentialJwt derives from the credential (shared/vc-jwt/sign.ts); the rest of the payload is the credential. */
const DERIVED_CLAIMS = ["iss", "jti", "sub", "nbf", "exp"];

/** The credential inside a VC-JWT this deployment signed (its payload without the derived JWT claims). */
export function credentialOfJwt(jwt: string): SignableCredential {
  const decoded = decodeCompactJws(jwt);
  if (typeof decoded === "string") throw new Error(`stored credential JWT does not decode: ${decoded}`);
  const credential = { ...decoded.payload };
  for (const claim of DERIVED_CLAIMS) delete credential[claim];
  return credential as unknown as SignableCredential;
}

export interface ResignOutcome {
  /** Credentials re-signed by this job (signed by the revoked key until now). */
  resigned: number;
  /** Credentials republished by this job (re-signed now or by an earlier attempt of it). */
  published: number;
  /** The job that continues the work, and how long it should wait; null when the work is done. */
  next: { job: ResignJob; delaySeconds: number } | null;
}

/**
 * One chunk of the re-signing of `job.kid`'s credentials, in id order after `job.after`. Idempotent:
 * a credential is re-signed only while it still carries the revoked kid (in the UPDATE's condition),
 * and a chunk also republishes the credentials an earlier attempt re-signed (`resigned_at` at or
 * after the revocation), so a retry after a failed publication loses nothing. The progress counter
 * moves in the transaction of the re-signing, by the rows that transaction changes.
 */
export async function resignChunk(db: Database, env: OriginEnv, job: ResignJob, now = Date.now()): Promise<ResignOutcome> {
  const [key] = await db
    .select({ status: signingKeys.status, revokedAt: signingKeys.revokedAt })
    .from(signingKeys)
    .where(and(eq(signingKeys.orgId, job.orgId), eq(signingKeys.kid, job.kid)))
    .limit(1);
  if (!key || key.status !== "revoked" || !key.revokedAt) return { resigned: 0, published: 0, next: null };
  const [activeRow] = await activeKeyQuery(db, job.orgId);
  if (!activeRow) throw new Error(`org ${job.orgId} has no active signing key`);

  const due = or(eq(credentials.kid, job.kid), gte(credentials.resignedAt, key.revokedAt));
  const rows = await db
    .select({ id: credentials.id, jwt: credentials.jwt, kid: credentials.kid })
    .from(credentials)
    .where(and(eq(credentials.orgId, job.orgId), gt(credentials.id, job.after ?? ""), due))
    .orderBy(asc(credentials.id))
    .limit(RESIGN_CHUNK);
  // A chunk ends on a credential set's boundary (a set's members are contiguous in id order: the
  // set id is their prefix), so each set's KV value is written once per pass. Split over two
  // chunks run back to back, it was written twice within about a second, which KV refuses
  // (one write per second per key; docs/capacity.md).
  const tail = rows.length === RESIGN_CHUNK ? rows.at(-1) : undefined;
  const tailSet = tail ? credentialSetIdOf(tail.id) : null;
  if (tail && tailSet) {
    rows.push(
      ...(await db
        .select({ id: credentials.id, jwt: credentials.jwt, kid: credentials.kid })
        .from(credentials)
        .where(and(eq(credentials.orgId, job.orgId), gt(credentials.id, tail.id), like(credentials.id, `${tailSet}%`), due))
        .orderBy(asc(credentials.id))),
    );
  }

  const signer = await unlockSigningKey(env, activeRow);
  const stale = rows.filter((r) => r.kid === job.kid);
  const resignedAt = new Date(now);
  const updates = await Promise.all(
    stale.map(async (r) => ({ id: r.id, jwt: await signCredentialJwt(credentialOfJwt(r.jwt), signer) })),
  );
  if (updates.length > 0) {
    const ids = updates.map((u) => u.id);
    const stillStale = sql`(SELECT count(*) FROM credentials WHERE credentials.kid = ${job.kid} AND ${inArray(credentials.id, ids)})`;
    await db.batch([
      // First, while the rows still carry the old kid: counts what the updates below will change.
      db
        .update(signingKeys)
        .set({
          resignDone: sql`${signingKeys.resignDone} + ${stillStale}`,
          resignTotal: sql`max(${signingKeys.resignTotal}, ${signingKeys.resignDone} + ${stillStale})`,
        })
        .where(and(eq(signingKeys.orgId, job.orgId), eq(signingKeys.kid, job.kid))),
      ...updates.map((u) =>
        db
          .update(credentials)
          .set({ jwt: u.jwt, kid: activeRow.kid, resignedAt })
          .where(and(eq(credentials.id, u.id), eq(credentials.kid, job.kid))),
      ),
    ]);
  }

  await republish(db, env, rows.map((r) => r.id));

  const last = rows.at(-1)?.id;
  let next: ResignOutcome["next"] = null;
  if (rows.length >= RESIGN_CHUNK && last) next = { job: { ...job, after: last }, delaySeconds: 0 };
  else if (!job.sweep) {
    const wait = Math.max(0, key.revokedAt.getTime() + RESIGN_SWEEP_DELAY_MS - now);
    next = { job: { type: job.type, orgId: job.orgId, kid: job.kid, requestId: job.requestId, sweep: true }, delaySeconds: Math.ceil(wait / 1000) };
  }
  return { resigned: updates.length, published: rows.length, next };
}

/** Republishes credentials as the edge reads them: set members through their set's value, others one by one. */
async function republish(db: Database, env: OriginEnv, ids: readonly string[]): Promise<void> {
  const sets = new Set<string>();
  const singles: string[] = [];
  for (const id of ids) {
    const setId = credentialSetIdOf(id);
    if (setId) sets.add(setId);
    else singles.push(id);
  }
  for (const setId of sets) {
    const members = await republishCredentialSet(db, env, setId);
    // Set members' Data Integrity proofs by the revoked key are re-signed too (publishCredentials does it for singles).
    await proveCredentials(db, env, members.map((m) => m.id));
  }
  if (singles.length === 0) return;
  const { outcomes } = await publishCredentials(db, env, singles.map((credentialId) => ({ credentialId })));
  for (const [id, outcome] of outcomes) {
    if (outcome instanceof Error) throw outcome;
    if (outcome === "missing") throw new Error(`credential ${id} not found for republication`);
  }
}

/** Runs one chunk and enqueues its continuation (before the caller acks, so the chain cannot break). */
export async function runResignJob(db: Database, env: OriginEnv, job: ResignJob): Promise<Omit<ResignOutcome, "next"> & { continues: boolean }> {
  const outcome = await resignChunk(db, env, job);
  if (outcome.next) await env.JOBS.send(outcome.next.job, { contentType: "json", delaySeconds: outcome.next.delaySeconds });
  return { resigned: outcome.resigned, published: outcome.published, continues: outcome.next !== null };
}
