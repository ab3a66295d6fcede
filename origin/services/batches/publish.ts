// Publication of a batch slice, straight from the batch.issue job: no credential.publish message
// per credential and no read back of rows just inserted. What it writes is exactly what
// credential.publish would write for the same rows (projectionOf is the one mapping), minus the
// per-credential baked badge: the edge bakes the JWT into `achievement:<id>:badge.png`.
import type { CredentialProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import type { achievements } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import type { IssueResult } from "../issuance/issue.ts";
import { loadCredentialProjections, projectionOf } from "../publication/credential-projection.ts";
import { forEachBounded, PUBLISH_CONCURRENCY, publishCredentialProjection } from "../publication/credential.ts";
import { badgeBase } from "../publication/images.ts";

type Issued = Extract<IssueResult, { ok: true }>;

/**
 * Writes the KV projection of every issued credential of a slice; throws (the job is retried)
 * if any write fails. Rows created by this run are projected from memory and written without the
 * version check (nothing older can be in KV). Rows found from an earlier run are read from the
 * database and republished with the check: one may have been revoked since. Returns how many
 * projections were written.
 */
export async function publishIssued(
  env: OriginEnv,
  db: Database,
  ctx: { org: Pick<OrgRecord, "slug" | "name" | "url">; achievement: typeof achievements.$inferSelect },
  issued: readonly Issued[],
): Promise<number> {
  if (issued.length === 0) return 0;
  const { org, achievement: a } = ctx;
  // The base image first, so a projection in KV implies the badge can be baked at the edge.
  await badgeBase(env, { achievement: { id: a.id, name: a.name }, issuer: { name: org.name } });
  const fresh = issued.filter((r) => r.created && r.recipientName !== undefined && r.issuedAt !== undefined);
  const earlier = issued.filter((r) => !fresh.includes(r));
  const jobs: { projection: CredentialProjection; fresh: boolean }[] = fresh.map((r) => ({
    projection: projectionOf(env, {
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
      orgSlug: org.slug,
      orgName: org.name,
      orgUrl: org.url ?? null,
      achievementId: a.id,
      achievementName: a.name,
      achievementDescription: a.description,
      achievementCriteria: a.criteriaNarrative,
      achievementImageUrl: a.imageUrl,
    }),
    fresh: true,
  }));
  if (earlier.length > 0) {
    const loaded = await loadCredentialProjections(db, env, earlier.map((r) => r.credentialId));
    for (const r of earlier) {
      const projection = loaded.get(r.credentialId);
      if (!projection) throw new Error(`issued credential ${r.credentialId} not found for publication`);
      jobs.push({ projection, fresh: false });
    }
  }
  let written = 0;
  await forEachBounded(jobs, PUBLISH_CONCURRENCY, async ({ projection, fresh }) => {
    if ((await publishCredentialProjection(env, projection, { badge: "base", fresh })) === "published") written++;
  });
  return written;
}
