// The `batch.issue` job: issue the pending rows of one range of a batch. Safe to run any number of
// times, concurrently or after a crash at any point:
// - issuance is idempotent per (batch_id, batch_row) (UNIQUE; issueCredentials finds earlier work),
// - every issued credential is published to KV (in its slice's credential set; the edge bakes its
//   badge from the achievement's base image) before its row is marked, so a row marked issued is in KV,
// - rows are marked only from `pending`, and the batch completes by one conditional UPDATE,
// - Data Integrity proofs are not made here: each slice enqueues credential.prove jobs
//   (services/publication/batch-proofs.ts), and the proof sweep makes those a lost job left.
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import { achievements, batchRows, batches, orgs } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { originMetrics } from "../../metrics.ts";
import { issueCredentials, type IssueResult } from "../issuance/issue.ts";
import { rowError } from "./intake.ts";
import { enqueuePendingNotifications } from "../notifications/enqueue.ts";
import { publishIssued } from "./publish.ts";
import { enqueueBatchProofs } from "../publication/batch-proofs.ts";
import { completeIfDone, type BatchStatus } from "./store.ts";

type BatchIssueJob = Extract<Job, { type: "batch.issue" }>;

/** Rows signed and inserted per issuance call (one libSQL transaction each). */
export const ISSUE_SLICE = 125;

/**
 * Test seam: called after each slice is issued and before it is published and marked, the
 * window in which a crash leaves credentials without marked rows. Production never sets it.
 */
export const batchIssueFaults: { afterIssue?: (job: BatchIssueJob, slice: number) => void | Promise<void> } = {};

export interface BatchIssueOutcome {
  outcome: "done" | "missing";
  issued: number;
  failed: number;
  completed: BatchStatus | null;
}

/** Runs one `batch.issue` job; throws (for a retry) only on infrastructure failure. */
export async function runBatchIssue(env: OriginEnv, job: BatchIssueJob, log: Logger): Promise<BatchIssueOutcome> {
  const db = database(env);
  const [found] = await db
    .select({ batch: batches, org: { id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url }, achievement: achievements })
    .from(batches)
    .innerJoin(orgs, eq(orgs.id, batches.orgId))
    .innerJoin(achievements, eq(achievements.id, batches.achievementId))
    .where(and(eq(batches.id, job.batchId), eq(batches.orgId, job.orgId)))
    .limit(1);
  if (!found) return { outcome: "missing", issued: 0, failed: 0, completed: null };
  if (found.batch.status === "queued") {
    await db.update(batches).set({ status: "running" }).where(and(eq(batches.id, job.batchId), eq(batches.status, "queued")));
  }

  const rows = await db
    .select({ row: batchRows.row, name: batchRows.name, email: batchRows.email, validUntil: batchRows.validUntil })
    .from(batchRows)
    .where(
      and(
        eq(batchRows.batchId, job.batchId),
        gte(batchRows.row, job.fromRow),
        lt(batchRows.row, job.toRow),
        eq(batchRows.state, "pending"),
      ),
    )
    .orderBy(asc(batchRows.row));

  let issued = 0;
  let failed = 0;
  for (let start = 0, slice = 0; start < rows.length; start += ISSUE_SLICE, slice++) {
    const part = rows.slice(start, start + ISSUE_SLICE);
    const results = await issueCredentials(env, {
      org: found.org,
      achievement: found.achievement,
      recipients: part.map((r) => ({
        name: r.name ?? "",
        email: r.email ?? "",
        ...(r.validUntil ? { validUntil: r.validUntil } : {}),
        batchId: job.batchId,
        batchRow: r.row,
      })),
      requestId: job.requestId,
      log,
      inSet: true,
    });
    await batchIssueFaults.afterIssue?.(job, slice);
    const ok = results.filter((r): r is Extract<IssueResult, { ok: true }> => r.ok);
    // Published before marked: every row marked issued has its projection in KV.
    const published = await publishIssued(env, db, found, ok);
    originMetrics.increment("laurel_credentials_published_total", published);
    await markRows(db, job.batchId, part, results);
    // Published and marked: the recipients' notifications can go out (already sent ones are not pending).
    await enqueuePendingNotifications(env, ok.map((r) => r.credentialId), job.requestId, log);
    // Their Data Integrity proofs on laurel-proofs: canonicalization stays out of this job.
    await enqueueBatchProofs(env, ok.map((r) => r.credentialId), job.requestId, log);
    issued += ok.length;
    failed += results.length - ok.length;
  }

  const completed = await completeIfDone(db, job.batchId, env.TRACE ?? null); // batch.completed continues this job's trace
  return { outcome: "done", issued, failed, completed };
}

// One transaction, two statements whatever the slice size (a statement per row cost the consumer's
// thread more than signing did): issued rows take the id of the credential stored for them,
// refused rows their reason. Only rows still pending change, so a late duplicate run cannot
// overwrite an earlier outcome. Every row of `rows` was pending when read and its credential, if
// any, is published by now; rows between them that were not pending are left alone by the state
// condition, so the row range is as good as the list.
async function markRows(db: Database, batchId: string, rows: readonly { row: number }[], results: readonly IssueResult[]) {
  if (rows.length === 0) return;
  const refused = results.flatMap((r, i) => (r.ok ? [] : [{ row: rows[i]!.row, ...rowError(r.errors) }]));
  await db.$client.batch(
    [
      {
        sql: `UPDATE batch_rows SET state = 'issued', credential_id = c.id
              FROM credentials AS c
              WHERE batch_rows.batch_id = ?1 AND batch_rows.row BETWEEN ?2 AND ?3 AND batch_rows.state = 'pending'
                AND c.batch_id = ?1 AND c.batch_row = batch_rows.row`,
        args: [batchId, rows[0]!.row, rows[rows.length - 1]!.row],
      },
      ...(refused.length === 0
        ? []
        : [
            {
              sql: `UPDATE batch_rows SET state = 'failed', error_code = r.value ->> 'code', error_detail = r.value ->> 'detail'
                    FROM json_each(?2) AS r
                    WHERE batch_rows.batch_id = ?1 AND batch_rows.row = r.value ->> 'row' AND batch_rows.state = 'pending'`,
              args: [batchId, JSON.stringify(refused)],
            },
          ]),
    ],
    "write",
  );
}
