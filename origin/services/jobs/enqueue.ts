// Sends work to the origin's job queue (laurel-jobs). Callers enqueue only after the database
// commit: consumers re-read the database, so a job never carries state that could go stale.
import type { Job } from "../../queues/jobs.ts";
import type { OriginEnv } from "../../env.ts";
import type { Logger } from "../../../shared/observability/logger.ts";

const MAX_SEND_BATCH = 100; // Cloudflare Queues sendBatch limit

/** Enqueues jobs (in sendBatch chunks of 100). Throws when the queue refuses them. */
export async function enqueue(env: Pick<OriginEnv, "JOBS">, jobs: readonly Job[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += MAX_SEND_BATCH) {
    const chunk = jobs.slice(i, i + MAX_SEND_BATCH);
    if (chunk.length === 1) await env.JOBS.send(chunk[0]!);
    else await env.JOBS.sendBatch(chunk.map((body) => ({ body })));
  }
}

/**
 * Enqueues after a commit without ever failing the request: the write is already durable, and
 * failing now would make a client retry an operation that succeeded. A lost publish job is
 * healed by the edge's read-through RPC (origin-rpc.ts) and by any later publish of the object.
 */
export async function enqueueAfterCommit(env: Pick<OriginEnv, "JOBS">, jobs: readonly Job[], log: Logger): Promise<void> {
  try {
    await enqueue(env, jobs);
  } catch (error) {
    log.error("enqueue failed after commit", { error, jobs: jobs.map((j) => j.type) });
  }
}
