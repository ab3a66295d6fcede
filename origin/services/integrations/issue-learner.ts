// Issues one LMS completion through the normal issuance path, at most once per (integration,
// course, LMS user), however many syncs run and however often a step is redelivered:
// 1. the durable integration_credentials record says whether this learner was ever issued;
// 2. otherwise the deterministic Idempotency-Key `lms:<integration>:<course>:<user>` is claimed
//    (the same claim single issuance uses): of two overlapping syncs only one holds it, and the
//    credential commits only while its claim is held (services/idempotency/store.ts);
// 3. the credential is issued with the claim, then the durable record written. Should the worker
//    die between the two, the key (kept ≥ 24 h) answers "completed" with the credential id to the
//    step's retry, which writes the record then.
import type { Logger } from "../../../shared/observability/logger.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { claimIdempotencyKey, releaseIdempotencyKey } from "../idempotency/store.ts";
import { issueCredentials, type AchievementRecord } from "../issuance/issue.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import type { LmsLearner } from "./learners.ts";

const FINGERPRINT = "lms-sync";

export interface IssueContext {
  env: OriginEnv;
  db: Database;
  org: OrgRecord;
  achievement: AchievementRecord;
  integrationId: string;
  courseId: string;
  syncId: string;
  requestId: string;
  log: Logger;
}

export type LearnerOutcome =
  | { state: "issued"; credentialId: string }
  | { state: "skipped"; credentialId: string | null; detail: string }
  | { state: "error"; code: "INVALID_RECIPIENT"; detail: string };

/** The Idempotency-Key of one learner's credential. */
export function learnerIdempotencyKey(integrationId: string, courseId: string, lmsUserId: string): string {
  return `lms:${integrationId}:${courseId}:${lmsUserId}`;
}

async function issuedBefore(ctx: IssueContext, lmsUserId: string): Promise<string | null> {
  const result = await ctx.db.$client.execute({
    sql: "SELECT credential_id FROM integration_credentials WHERE integration_id = ? AND course_id = ? AND lms_user_id = ?",
    args: [ctx.integrationId, ctx.courseId, lmsUserId],
  });
  return (result.rows[0]?.credential_id as string | undefined) ?? null;
}

async function remember(ctx: IssueContext, lmsUserId: string, credentialId: string): Promise<void> {
  await ctx.db.$client.execute({
    sql: `INSERT INTO integration_credentials (integration_id, course_id, lms_user_id, credential_id, sync_id, issued_at)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [ctx.integrationId, ctx.courseId, lmsUserId, credentialId, ctx.syncId, Date.now()],
  });
}

/** Issues `learner`'s credential unless it was issued before. Throws on infrastructure failure (the step is retried). */
export async function issueToLearner(ctx: IssueContext, learner: LmsLearner): Promise<LearnerOutcome> {
  const before = await issuedBefore(ctx, learner.lmsUserId);
  if (before) return { state: "skipped", credentialId: before, detail: "already issued" };

  const key = learnerIdempotencyKey(ctx.integrationId, ctx.courseId, learner.lmsUserId);
  const claim = await claimIdempotencyKey(ctx.db, ctx.org.id, key, FINGERPRINT);
  if (claim.kind === "completed") {
    const credentialId = (JSON.parse(claim.body) as { credentialId: string }).credentialId;
    await remember(ctx, learner.lmsUserId, credentialId);
    return { state: "skipped", credentialId, detail: "already issued" };
  }
  if (claim.kind !== "claimed") {
    // Another sync holds the claim and is issuing it now (or a client used this key by hand).
    return { state: "skipped", credentialId: null, detail: "being issued by another sync" };
  }

  const held = { orgId: ctx.org.id, key, createdAt: claim.createdAt };
  try {
    const [result] = await issueCredentials(ctx.env, {
      org: ctx.org,
      achievement: ctx.achievement,
      recipients: [{ name: learner.name, email: learner.email }],
      requestId: ctx.requestId,
      log: ctx.log,
      pooledSlot: true,
      idempotency: { claim: held, answer: (issued) => ({ status: 201, body: JSON.stringify({ credentialId: issued.credentialId }) }) },
    });
    if (!result) throw new Error("issueCredentials returned no result");
    if (!result.ok) {
      await releaseIdempotencyKey(ctx.db, ctx.org.id, key, claim.createdAt);
      const detail = result.errors.map((e) => `${e.field}: ${e.detail}`).join("; ");
      return { state: "error", code: "INVALID_RECIPIENT", detail };
    }
    await remember(ctx, learner.lmsUserId, result.credentialId);
    return { state: "issued", credentialId: result.credentialId };
  } catch (error) {
    await releaseIdempotencyKey(ctx.db, ctx.org.id, key, claim.createdAt).catch(() => undefined);
    throw error;
  }
}
