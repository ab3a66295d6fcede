// Sends work to the origin's job queue (laurel-jobs). Callers enqueue only after the database
// commit: consumers re-read the database, so a job never carries state that could go stale.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { markDueNow } from "../publication/outbox.ts";

const MAX_SEND_BATCH = 100; // Cloudflare Queues sendBatch limit

/** Enqueues jobs (in sendBatch chunks of 100). Throws when the queue refuses them. */
export function enqueue(env: Pick<OriginEnv, "JOBS">, jobs: readonly Job[]): Promise<void> {
  return enqueueOn(env.JOBS, jobs);
}

/** Sends `jobs` to `queue` in chunks of the most one sendBatch call takes. */
export async function enqueueOn(queue: Queue, jobs: readonly Job[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += MAX_SEND_BATCH) {
    const chunk = jobs.slice(i, i + MAX_SEND_BATCH);
    if (chunk.length === 1) await queue.send(chunk[0]!);
    else await queue.sendBatch(chunk.map((body) => ({ body })));
  }
}

/**
 * Enqueues publication jobs after a commit without ever failing the request: the write is already
 * durable, and failing now would make a client retry an operation that succeeded. The queue is
 * only the fast path: what must be published is in the database (status list and issuer versions,
 * the credential outbox), and the scheduled reconciler (services/publication/reconcile.ts)
 * publishes what a lost job left behind, within about a minute. When the send fails, the
 * credentials' outbox rows are made due at once so the next run takes them first.
 */
export async function enqueueAfterCommit(
  env: Pick<OriginEnv, "JOBS" | "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN">,
  jobs: readonly Job[],
  log: Logger,
): Promise<void> {
  try {
    await enqueue(env, jobs);
  } catch (error) {
    log.warn("enqueue failed after commit; the scheduled reconciler will publish", { error, jobs: jobs.map((j) => j.type) });
    const credentialIds = jobs.flatMap((j) => (j.type === "credential.publish" ? [j.credentialId] : []));
    await markDueNow(database(env), credentialIds).catch((markError: unknown) =>
      log.warn("could not mark the outbox rows due; the reconciler takes them after its grace period", { error: markError }),
    );
  }
}
