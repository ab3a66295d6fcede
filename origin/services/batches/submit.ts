// Accepting a batch: store its checked rows and queue its `batch.issue` jobs, all or nothing. Used
// by POST /v1/credentials/batch and by the console's CSV upload.
import { AppError } from "../../../shared/http/problem.ts";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { completeIdempotencyKeyStatement, reopenIdempotencyKeyStatement, type IdempotencyClaim, type StoredAnswer } from "../idempotency/store.ts";
import type { BatchRowInput } from "./intake.ts";
import { insertBatch, intakeStatus, jobRanges, removeBatch, type BatchStatus } from "./store.ts";

/** What a new batch answers: `{id, status, total}`. */
export interface AcceptedBatch {
  id: string;
  status: BatchStatus;
  total: number;
}

/**
 * Stores the batch and queues its jobs. With `idempotency`, the claim's answer commits in the same
 * transaction as the batch, so a retry that takes the key over once its lease ran out (a slow
 * request) finds it completed, or else finds no batch stored: a batch is never stored twice. If
 * the jobs cannot be queued the batch is removed and the key reopened, in one transaction.
 */
export async function submitBatch(
  env: OriginEnv,
  input: { orgId: string; achievementId: string; rows: readonly BatchRowInput[]; requestId: string; log: Logger },
  idempotency?: { claim: IdempotencyClaim; answer: (accepted: AcceptedBatch) => StoredAnswer },
): Promise<{ accepted: AcceptedBatch; pending: number; jobs: number; storedAnswer?: StoredAnswer }> {
  const db = database(env);
  const { orgId, requestId, rows } = input;
  const accepted: AcceptedBatch = { id: crypto.randomUUID(), status: intakeStatus(rows), total: rows.length };
  const batchId = accepted.id;
  const storedAnswer = idempotency?.answer(accepted);
  const stored = await insertBatch(
    db,
    { id: batchId, orgId, achievementId: input.achievementId, requestId, trace: env.TRACE },
    rows,
    idempotency && storedAnswer ? [completeIdempotencyKeyStatement(idempotency.claim, storedAnswer)] : [],
  );
  const jobs: Job[] = jobRanges(rows).map((range) => ({ type: "batch.issue", batchId, orgId, ...range, requestId }));
  if (jobs.length > 0) {
    try {
      // At most 40 jobs (10,000 rows / 250): one sendBatch call, so the jobs are sent all or none.
      await env.BATCHES.sendBatch(jobs.map((body) => ({ body, contentType: "json" as const })));
    } catch (error) {
      input.log.error("could not enqueue batch jobs; removing the batch", { error, batchId });
      await removeBatch(db, batchId, idempotency ? [reopenIdempotencyKeyStatement(idempotency.claim)] : []);
      throw new AppError(503, "QUEUE_UNAVAILABLE", "The batch could not be queued; nothing was stored. Retry with the same Idempotency-Key.");
    }
  }
  return { accepted, pending: stored.pending, jobs: jobs.length, storedAnswer };
}
