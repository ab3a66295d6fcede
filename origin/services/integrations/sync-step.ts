// One step of an LMS sync, run by the laurel-integrations consumer. A sync is a chain of steps,
// each small enough for one Worker invocation (about 200 subrequests at most):
// - list phase: Canvas, one page of up to 100 completed students per step; Moodle, the course's
//   enrolled users in one step. The learners are stored on the sync (integration_sync_learners).
// - issue phase: up to ISSUE_CHUNK stored learners per step: (Moodle) ask their completion, then
//   issue (issue-learner.ts). The step with nothing left finishes the sync.
// Re-entrant: the stored learners' states and the step counter (advanced by compare-and-set with
// the step's writes) make a redelivered step redo nothing that was committed and count nothing
// twice. LMS answers that may pass (429, 5xx, no answer) retry the step after Retry-After or a
// backoff; after MAX_STEP_ATTEMPTS attempts, or on an answer that will not pass (bad token,
// redirect, malformed listing), the sync ends `failed` with the reason.
import type { InStatement } from "@libsql/client/web";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { IntegrationSyncJob } from "../../queues/integrations.ts";
import { findAchievement } from "../achievements/achievements.ts";
import { enqueueAfterCommit } from "../jobs/enqueue.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import { forEachBounded } from "../publication/credential.ts";
import { CANVAS_MAX_PAGES, canvasFirstPageUrl, fetchCanvasPage } from "./canvas.ts";
import { issueToLearner, type IssueContext, type LearnerOutcome } from "./issue-learner.ts";
import type { LearnerProblem, LmsLearner } from "./learners.ts";
import { LmsError, type LmsCallContext } from "./lms-http.ts";
import { fetchMoodleCompletion, fetchMoodleUsers } from "./moodle.ts";
import { Pacer, type SlotReserver } from "./pacer.ts";
import { syncCounts, type SyncRow } from "./sync-store.ts";
import type { IntegrationRow } from "./store.ts";
import { openToken } from "./token-crypto.ts";

/** Learners checked and issued per step. */
export const ISSUE_CHUNK = 20;
/** Attempts of one step (a 429 or 5xx answer, no answer, a database failure) before the sync fails. */
export const MAX_STEP_ATTEMPTS = 6;

export type StepOutcome =
  | { kind: "next" } // the following step should be sent
  | { kind: "finished"; status: SyncRow["status"] }
  | { kind: "stale" } // not the sync's current step (redelivered) or the sync is gone/over
  | { kind: "retry"; delaySeconds: number; reason: string };

interface Loaded {
  sync: SyncRow;
  integration: IntegrationRow;
}

async function load(db: Database, syncId: string): Promise<Loaded | null> {
  const sync = await db.query.integrationSyncs.findFirst({ where: (s, { eq }) => eq(s.id, syncId) });
  if (!sync) return null;
  const integration = await db.query.integrations.findFirst({ where: (i, { eq }) => eq(i.id, sync.integrationId) });
  return integration ? { sync, integration } : null;
}

/** Start slots of one integration's LMS requests, reserved on its row (one statement per request). */
function slotReserver(db: Database, integrationId: string): SlotReserver {
  return async (intervalMs) => {
    const now = Date.now();
    const result = await db.$client.execute({
      sql: "UPDATE integrations SET rate_next_at = max(coalesce(rate_next_at, 0), ?) + ? WHERE id = ? RETURNING rate_next_at",
      args: [now, Math.ceil(intervalMs), integrationId],
    });
    const next = Number(result.rows[0]?.rate_next_at ?? now);
    return next - Math.ceil(intervalMs);
  };
}

/** The statement that advances the sync past `step` (only if it is still there): the step's commit point. */
function advance(syncId: string, step: number, fields: { phase?: SyncRow["phase"]; cursor?: string | null; pages?: number } = {}): InStatement {
  return {
    sql: `UPDATE integration_syncs SET step = step + 1, status = 'running', phase = coalesce(?, phase),
            cursor = CASE WHEN ? THEN ? ELSE cursor END, pages = coalesce(?, pages), updated_at = ?
          WHERE id = ? AND step = ?`,
    args: [fields.phase ?? null, fields.cursor !== undefined ? 1 : 0, fields.cursor ?? null, fields.pages ?? null, Date.now(), syncId, step],
  };
}

/** Ends a sync (from any unfinished state) with `status`. */
export async function finishSync(db: Database, syncId: string, status: SyncRow["status"], failureReason: string | null = null): Promise<void> {
  await db.$client.execute({
    sql: `UPDATE integration_syncs SET status = ?, failure_reason = ?, finished_at = ?, updated_at = ?, step = step + 1
          WHERE id = ? AND status IN ('queued', 'running')`,
    args: [status, failureReason, Date.now(), Date.now(), syncId],
  });
}

function learnerRow(syncId: string, l: LmsLearner, state: "pending" | "check", completed: 1 | null): InStatement {
  return {
    sql: `INSERT INTO integration_sync_learners (sync_id, lms_user_id, name, email, state, completed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [syncId, l.lmsUserId, l.name, l.email, state, completed],
  };
}

function problemRow(syncId: string, p: LearnerProblem, completed: 1 | null): InStatement {
  return {
    sql: `INSERT INTO integration_sync_learners (sync_id, lms_user_id, state, completed, error_code, error_detail, record)
          VALUES (?, ?, 'error', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [syncId, p.lmsUserId, completed, p.code, p.detail, p.record],
  };
}

/**
 * Runs step `job.step` of its sync. `attempts` is the message's delivery count. Throws only for
 * failures the queue should retry (database); LMS failures come back as outcomes.
 */
export async function runSyncStep(env: OriginEnv, job: IntegrationSyncJob, attempts: number, log: Logger): Promise<StepOutcome> {
  const db = database(env);
  const loaded = await load(db, job.syncId);
  if (!loaded) return { kind: "stale" };
  const { sync, integration } = loaded;
  if ((sync.status !== "queued" && sync.status !== "running") || sync.step !== job.step) return { kind: "stale" };

  try {
    const token = await openToken(env.KEY_ENCRYPTION_SECRET, integration.orgId, integration.id, integration.tokenEncrypted);
    const lms: LmsCallContext = { env, pacer: new Pacer(integration.requestsPerSecond, integration.maxConcurrency, slotReserver(db, integration.id)) };
    if (sync.phase === "list") return await listStep(db, lms, sync, integration, token);
    return await issueStep(env, db, lms, sync, integration, token, log);
  } catch (error) {
    if (error instanceof LmsError && !error.retryable) {
      await finishSync(db, sync.id, "failed", error.message);
      return { kind: "finished", status: "failed" };
    }
    const reason = error instanceof LmsError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    if (attempts >= MAX_STEP_ATTEMPTS) {
      await finishSync(db, sync.id, "failed", `gave up after ${attempts} attempts: ${reason}`);
      return { kind: "finished", status: "failed" };
    }
    if (error instanceof LmsError) return { kind: "retry", delaySeconds: error.retryAfterSeconds!, reason };
    throw error;
  }
}

async function listStep(db: Database, lms: LmsCallContext, sync: SyncRow, integration: IntegrationRow, token: string): Promise<StepOutcome> {
  if (integration.kind === "canvas") {
    const pageNumber = sync.pages + 1;
    const url = sync.cursor ?? canvasFirstPageUrl(integration.baseUrl, integration.courseId);
    const page = await fetchCanvasPage(lms, integration.baseUrl, url, token, pageNumber);
    if (page.next && pageNumber >= CANVAS_MAX_PAGES) throw new LmsError(`Canvas: the course has more than ${CANVAS_MAX_PAGES} pages of completed students`);
    await db.$client.batch(
      [
        ...page.learners.map((l) => learnerRow(sync.id, l, "pending", 1)),
        ...page.problems.map((p) => problemRow(sync.id, p, 1)),
        advance(sync.id, sync.step, { pages: pageNumber, cursor: page.next, phase: page.next ? "list" : "issue" }),
      ],
      "write",
    );
    return { kind: "next" };
  }
  const roster = await fetchMoodleUsers(lms, integration.baseUrl, token, integration.courseId);
  const statements = [...roster.users.map((u) => learnerRow(sync.id, u, "check", null)), ...roster.problems.map((p) => problemRow(sync.id, p, null))];
  // Inserted in chunks (a statement per user), the step's advance last, in the final chunk's transaction.
  for (let i = 0; i < statements.length; i += 500) await db.$client.batch(statements.slice(i, i + 500), "write");
  await db.$client.execute(advance(sync.id, sync.step, { pages: 1, phase: "issue" }));
  return { kind: "next" };
}

async function issueStep(env: OriginEnv, db: Database, lms: LmsCallContext, sync: SyncRow, integration: IntegrationRow, token: string, log: Logger): Promise<StepOutcome> {
  const rows = await db.$client.execute({
    sql: `SELECT lms_user_id, name, email, state FROM integration_sync_learners WHERE sync_id = ? AND state IN ('pending', 'check') ORDER BY lms_user_id LIMIT ?`,
    args: [sync.id, ISSUE_CHUNK],
  });
  if (rows.rows.length === 0) {
    const counts = (await syncCounts(db, [sync.id])).get(sync.id)!;
    const status = counts.errors > 0 ? "completed_with_errors" : "completed";
    await finishSync(db, sync.id, status);
    return { kind: "finished", status };
  }

  const [org, achievement] = await Promise.all([
    db.query.orgs.findFirst({ where: (o, { eq }) => eq(o.id, integration.orgId) }),
    findAchievement(db, integration.orgId, integration.achievementId),
  ]);
  if (!org || !achievement) throw new LmsError("the integration's achievement no longer exists");
  const orgRecord: OrgRecord = { id: org.id, slug: org.slug, name: org.name, url: org.url };
  const ctx: IssueContext = { env, db, org: orgRecord, achievement, integrationId: integration.id, courseId: integration.courseId, syncId: sync.id, requestId: sync.requestId ?? crypto.randomUUID(), log };

  const issued: string[] = [];
  let failure: unknown = null;
  await forEachBounded(rows.rows, integration.maxConcurrency, async (row) => {
    if (failure) return; // the step is retried: the rest waits for that attempt
    const learner: LmsLearner = { lmsUserId: String(row.lms_user_id), name: String(row.name ?? ""), email: String(row.email ?? "") };
    try {
      const update = await settleLearner(ctx, lms, integration, token, learner, row.state === "check");
      await db.$client.execute(update.statement);
      if (update.issued) issued.push(update.issued);
    } catch (error) {
      failure ??= error;
    }
  });
  if (issued.length > 0) {
    await enqueueAfterCommit(env, issued.map((credentialId) => ({ type: "credential.publish" as const, credentialId, requestId: ctx.requestId, fresh: true })), log);
  }
  if (failure) throw failure;
  await db.$client.execute(advance(sync.id, sync.step));
  return { kind: "next" };
}

/** Decides one stored learner: the update of its row, and the credential it was issued, if any. */
async function settleLearner(
  ctx: IssueContext,
  lms: LmsCallContext,
  integration: IntegrationRow,
  token: string,
  learner: LmsLearner,
  needsCompletionCheck: boolean,
): Promise<{ statement: InStatement; issued?: string }> {
  const where = { sql: "WHERE sync_id = ? AND lms_user_id = ?", args: [ctx.syncId, learner.lmsUserId] };
  if (needsCompletionCheck) {
    const completion = await fetchMoodleCompletion(lms, integration.baseUrl, token, integration.courseId, learner.lmsUserId);
    if ("problem" in completion) {
      const p = completion.problem;
      return { statement: { sql: `UPDATE integration_sync_learners SET state = 'error', error_code = ?, error_detail = ?, record = ? ${where.sql}`, args: [p.code, p.detail, p.record, ...where.args] } };
    }
    if (!completion.completed) return { statement: { sql: `UPDATE integration_sync_learners SET state = 'not_completed', completed = 0 ${where.sql}`, args: where.args } };
    if (!learner.email) {
      return {
        statement: {
          sql: `UPDATE integration_sync_learners SET state = 'error', completed = 1, error_code = 'NO_EMAIL', error_detail = ? ${where.sql}`,
          args: ["The Moodle user completed the course but has no usable email address.", ...where.args],
        },
      };
    }
  }
  const outcome: LearnerOutcome = await issueToLearner(ctx, learner);
  if (outcome.state === "error") {
    return { statement: { sql: `UPDATE integration_sync_learners SET state = 'error', completed = 1, error_code = ?, error_detail = ? ${where.sql}`, args: [outcome.code, outcome.detail, ...where.args] } };
  }
  return {
    statement: {
      sql: `UPDATE integration_sync_learners SET state = ?, completed = 1, credential_id = ?, error_detail = ? ${where.sql}`,
      args: [outcome.state, outcome.credentialId, outcome.state === "skipped" ? outcome.detail : null, ...where.args],
    },
    issued: outcome.state === "issued" ? outcome.credentialId : undefined,
  };
}
