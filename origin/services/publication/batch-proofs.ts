// Data Integrity proofs of batch-issued credentials, off the batch's critical path. The batch.issue
// job publishes a slice (VC-JWTs only) and then enqueues credential.prove jobs on laurel-proofs, a
// queue of their own: a 10,000-row batch is 400 jobs of ~25 × 7 ms of canonicalization, which on
// laurel-jobs would hold up the publication of single credentials and revocations. Nothing depends
// on the queue: the database says which batch credentials still lack a proof (no credential_proofs
// row), and the every-minute sweep (batch-proof-sweep.ts) proves what a lost job left.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import type { Job } from "../../queues/jobs.ts";
import { enqueueOn } from "../jobs/enqueue.ts";
import { proveCredentials, type ProofOutcome } from "./data-integrity.ts";
import { giveWayToApi } from "./give-way.ts";

/**
 * Credentials per credential.prove job. ~25 × 7 ms ≈ 0.2 s of CPU and ~30 subrequests (one read,
 * one batched upsert, one read back, 25 KV writes): short enough that a redelivery repeats little
 * and that a consumer sharing the API's thread yields often, large enough that the database reads
 * are shared. An issuance slice (125 rows) is 5 jobs.
 */
export const PROVE_CHUNK = 25;

type ProveJob = Extract<Job, { type: "credential.prove" }>;

/** The credential.prove jobs for these credential ids, PROVE_CHUNK ids each. */
export function proveJobs(credentialIds: readonly string[], requestId: string): ProveJob[] {
  const jobs: ProveJob[] = [];
  for (let i = 0; i < credentialIds.length; i += PROVE_CHUNK) {
    jobs.push({ type: "credential.prove", credentialIds: credentialIds.slice(i, i + PROVE_CHUNK), requestId });
  }
  return jobs;
}

/**
 * Enqueues the proofs of just-published batch credentials on laurel-proofs. Never fails its caller
 * (the batch): a failed send is logged, and the sweep proves those credentials later.
 */
export async function enqueueBatchProofs(env: Pick<OriginEnv, "PROOFS">, credentialIds: readonly string[], requestId: string, log: Logger): Promise<number> {
  if (credentialIds.length === 0) return 0;
  const jobs = proveJobs(credentialIds, requestId);
  try {
    await enqueueOn(env.PROOFS, jobs);
    return jobs.length;
  } catch (error) {
    log.warn("could not enqueue Data Integrity proofs; the proof sweep will make them", { error, credentials: credentialIds.length });
    return 0;
  }
}

/** How the credential.prove job ended, for its log line. */
export interface ProveJobOutcome {
  signed: number;
  kept: number;
  missing: number;
}

/**
 * Runs one credential.prove job: proves the credentials (idempotent: stored proofs are kept and
 * rewritten to KV), giving way to API requests between signatures. Throws (the job is retried)
 * when the database, a signature or KV fails. Credentials that do not exist are counted, not retried.
 */
export async function runProveJob(env: OriginEnv, job: ProveJob): Promise<ProveJobOutcome> {
  const outcomes = await proveCredentials(database(env), env, job.credentialIds, { beforeSign: giveWayToApi });
  return countOutcomes(outcomes);
}

export function countOutcomes(outcomes: Map<string, ProofOutcome>): ProveJobOutcome {
  const counts = { signed: 0, kept: 0, missing: 0 };
  for (const outcome of outcomes.values()) counts[outcome]++;
  return counts;
}
