// Publication of a batch slice, straight from the batch.issue job: no credential.publish message
// per credential and no read back of rows just inserted. The slice's credentials form a credential
// set (shared/credential-sets.ts) written as one KV value; the edge bakes each badge into
// `achievement:<id>:badge.png` on request.
import { credentialSetIdOf } from "../../../shared/credential-sets.ts";
import type { CredentialProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import type { achievements } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import type { IssueResult } from "../issuance/issue.ts";
import { loadCredentialProjections, projectionOf } from "../publication/credential-projection.ts";
import { forEachBounded, PUBLISH_CONCURRENCY, publishCredentialProjection } from "../publication/credential.ts";
import { republishCredentialSet, writeCredentialSet } from "../publication/credential-set.ts";
import { badgeBase } from "../publication/images.ts";
import { choicesChanged, nameChoicesOf, type NameChoice } from "../recipients/name-choices.ts";

type Issued = Extract<IssueResult, { ok: true }>;
type BatchContext = { org: Pick<OrgRecord, "slug" | "name" | "url">; achievement: typeof achievements.$inferSelect };

/**
 * Publishes every issued credential of a slice; throws (the job is retried) if any write fails.
 * Sets created by this run are written from memory: all their members were inserted by this run
 * (a set is one issuance call), so nothing is missing and nothing older can be in KV. Sets of
 * credentials found from an earlier run are rewritten from the database, whole. Credentials
 * without a set (issued before sets existed, then found again) are republished one by one.
 * Returns how many credentials were published.
 */
export async function publishIssued(env: OriginEnv, db: Database, ctx: BatchContext, issued: readonly Issued[]): Promise<number> {
  if (issued.length === 0) return 0;
  const { org, achievement: a } = ctx;
  // The base image first, so a projection in KV implies the badge can be baked at the edge.
  await badgeBase(env, { achievement: { id: a.id, name: a.name }, issuer: { name: org.name } });

  // Recipients who chose (on their wallet page) to withhold their name: their projections say so
  // from the first publication. Read after the credentials' transaction, which wrote their index rows.
  const choices = await nameChoicesOf(db, issued.map((r) => r.credentialId));
  const freshSets = new Map<string, CredentialProjection[]>();
  const earlierSets = new Set<string>();
  const unset: string[] = [];
  for (const r of issued) {
    const setId = credentialSetIdOf(r.credentialId);
    if (!setId) unset.push(r.credentialId);
    else if (r.created && r.recipientName !== undefined && r.issuedAt !== undefined) {
      const members = freshSets.get(setId) ?? [];
      members.push(freshProjection(env, ctx, r, choices.get(r.credentialId)));
      freshSets.set(setId, members);
    } else earlierSets.add(setId);
  }
  // A set seen both ways (cannot happen: a set is one call) is read whole from the database.
  for (const setId of earlierSets) freshSets.delete(setId);

  let written = 0;
  await forEachBounded([...freshSets], PUBLISH_CONCURRENCY, async ([setId, members]) => {
    await writeCredentialSet(env, setId, members);
    written += members.length;
  });
  // A choice made while the sets were written: the wallet's republication may have read the sets
  // before this write landed, so they are rewritten from the database, which has the choice.
  if (freshSets.size > 0 && choicesChanged(choices, await nameChoicesOf(db, issued.map((r) => r.credentialId)))) {
    await forEachBounded([...freshSets.keys()], PUBLISH_CONCURRENCY, async (setId) => void (await republishCredentialSet(db, env, setId)));
  }
  await forEachBounded([...earlierSets], PUBLISH_CONCURRENCY, async (setId) => {
    const members = await republishCredentialSet(db, env, setId);
    if (members.length === 0) throw new Error(`credential set ${setId} not found for publication`);
    written += members.length;
  });
  if (unset.length > 0) {
    const loaded = await loadCredentialProjections(db, env, unset);
    await forEachBounded(unset, PUBLISH_CONCURRENCY, async (id) => {
      const projection = loaded.get(id);
      if (!projection) throw new Error(`issued credential ${id} not found for publication`);
      if ((await publishCredentialProjection(env, projection, { badge: "base" })) === "published") written++;
    });
  }
  // No Data Integrity proofs here: signing them (~7 ms of CPU each) made this job several times
  // slower. The batch.issue job enqueues them as credential.prove jobs (publication/batch-proofs.ts).
  return written;
}

function freshProjection(env: OriginEnv, { org, achievement: a }: BatchContext, r: Issued, choice: NameChoice | undefined): CredentialProjection {
  return projectionOf(env, {
    id: r.credentialId,
    jwt: r.jwt,
    status: "active",
    revocationReason: null,
    revokedAt: null,
    recipientName: r.recipientName!,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    statusListId: r.statusListId,
    statusIndex: r.statusIndex,
    issuedAt: r.issuedAt!,
    resignedAt: null,
    orgSlug: org.slug,
    orgName: org.name,
    orgUrl: org.url ?? null,
    achievementId: a.id,
    achievementName: a.name,
    achievementDescription: a.description,
    achievementCriteria: a.criteriaNarrative,
    achievementImageUrl: a.imageUrl,
    hideName: choice?.hideName ?? null,
    namePrefAt: choice?.namePrefAt ?? null,
  });
}
