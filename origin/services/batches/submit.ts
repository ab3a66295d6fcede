// Accepting a batch: store its checked rows and queue its `batch.issue` jobs, all or nothing. Used
// by POST /v1/credentials/batch and by the console's CSV upload.
import { eq } from "drizzle-orm";
import { AppError } from "../../../shared/http/problem.ts";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import { batchRows, batches } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import type { BatchRowInput } from "./intake.ts";
import { insertBatch, jobRanges, type BatchStatus } from "./store.ts";

export async function submitBatch(
  env: OriginEnv,
  input: { orgId: string; achievementId: string; rows: readonly BatchRowInput[]; requestId: string; log: Logger },
): Promise<{ batchId: string; status: BatchStatus; pending: number; jobs: number }> {
  const db = database(env);
  const batchId = crypto.randomUUID();
  const { orgId, requestId, rows } = input;
  const stored = await insertBatch(db, { id: batchId, orgId, achievementId: input.achievementId, requestId }, rows);
  const jobs: Job[] = jobRanges(rows).map((range) => ({ type: "batch.issue", batchId, orgId, ...range, requestId }));
  if (jobs.length > 0) {
    try {
      // At most 40 jobs (10,000 rows / 250): one sendBatch call, so the jobs are sent all or none.
      await env.BATCHES.sendBatch(jobs.map((body) => ({ body, contentType: "json" as const })));
    } catch (error) {
      input.log.error("could not enqueue batch jobs; removing the batch", { error, batchId });
      await db.batch([db.delete(batchRows).where(eq(batchRows.batchId, batchId)), db.delete(batches).where(eq(batches.id, batchId))]);
      throw new AppError(503, "QUEUE_UNAVAILABLE", "The batch could not be queued; nothing was stored. Retry with the same Idempotency-Key.");
    }
  }
  return { batchId, status: stored.status, pending: stored.pending, jobs: jobs.length };
}
