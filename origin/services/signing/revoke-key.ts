// Revoking a compromised signing key: it leaves the issuer's DID document and JWKS, and every
// credential and status list it signed is re-signed with the active key (same ids, same status
// entries), on the queue (origin/services/signing/resign.ts). Revoking the active key first makes
// a new active key, in the same transaction.
import { and, eq, or, sql } from "drizzle-orm";
import type { Logger } from "../../../shared/observability/logger.ts";
import type { Database } from "../../db/client.ts";
import { signingKeys, statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { enqueueAfterCommit } from "../jobs/enqueue.ts";
import { forgetActiveKey, newSigningKeyRow } from "./signing-keys.ts";

export interface RevokedKey {
  kid: string;
  /** The new active key, when the revoked key was the active one. */
  replacedBy: string | null;
  /** False when the key was already revoked (nothing changed). */
  changed: boolean;
}

/**
 * Revokes the org's key `kid` (or the pair whose Ed25519 key is `kid`), with its paired Ed25519
 * Data Integrity key: status `revoked`, reason and time recorded, `resignTotal` set to the
 * credentials it signed; the org's status lists get a new version (they are re-signed too). When it
 * is the active key, a new active key replaces it in the same transaction. Null when the org has no
 * such key; revoking a revoked key changes nothing. The caller enqueues `revocationJobs`.
 */
export async function revokeSigningKey(
  db: Database,
  env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">,
  orgId: string,
  kidOrMultibase: string,
  reason: string,
): Promise<RevokedKey | null> {
  // Either key of a pair names it: the JWT kid or the Ed25519 key's publicKeyMultibase.
  const [key] = await db
    .select({ status: signingKeys.status, kid: signingKeys.kid })
    .from(signingKeys)
    .where(and(eq(signingKeys.orgId, orgId), or(eq(signingKeys.kid, kidOrMultibase), eq(signingKeys.diPublicKeyMultibase, kidOrMultibase))))
    .limit(1);
  if (!key) return null;
  const kid = key.kid;
  if (key.status === "revoked") return { kid, replacedBy: null, changed: false };
  const replacement = key.status === "active" ? await newSigningKeyRow(env, orgId) : null;
  const revokedAt = new Date();
  forgetActiveKey(orgId);
  // The first statement is guarded by the status read above: a concurrent rotation or revocation
  // makes it change nothing, and then the replacement's insert (a second active key) fails the
  // one-active-key index and rolls the whole transaction back.
  const [revoked] = await db.batch([
    db
      .update(signingKeys)
      .set({
        status: "revoked",
        revokedAt,
        retiredAt: sql`coalesce(${signingKeys.retiredAt}, ${revokedAt.getTime()})`,
        revocationReason: reason,
        resignTotal: sql`(SELECT count(*) FROM credentials WHERE credentials.org_id = ${orgId} AND credentials.kid = ${kid})`,
        resignDone: 0,
      })
      .where(and(eq(signingKeys.orgId, orgId), eq(signingKeys.kid, kid), eq(signingKeys.status, key.status))),
    ...(replacement ? [db.insert(signingKeys).values(replacement)] : []),
    db.update(statusLists).set({ version: sql`${statusLists.version} + 1` }).where(eq(statusLists.orgId, orgId)),
  ] as const);
  forgetActiveKey(orgId);
  if (revoked.rowsAffected === 0) return { kid, replacedBy: null, changed: false };
  return { kid, replacedBy: replacement?.kid ?? null, changed: true };
}

/**
 * The work a revocation starts: the issuer projection without the key, every status list of the org
 * re-signed, and the first re-sign job of the key's credentials. Enqueued after the commit; a lost
 * job is re-driven by repeating the revocation (which re-enqueues even when nothing changed).
 */
export async function enqueueRevocationJobs(
  db: Database,
  env: Pick<OriginEnv, "JOBS" | "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN">,
  orgId: string,
  kid: string,
  requestId: string,
  log: Logger,
): Promise<void> {
  const lists = await db.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.orgId, orgId));
  const jobs: Job[] = [
    { type: "issuer.publish", orgId, requestId },
    ...lists.map((l) => ({ type: "status-list.publish" as const, statusListId: l.id, requestId })),
    { type: "key.resign", orgId, kid, requestId },
  ];
  await enqueueAfterCommit(env, jobs, log);
}
