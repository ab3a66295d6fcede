// The every-minute proof sweep: batch credentials whose credential.prove job was lost (or never
// sent) get their Data Integrity proof here. The database is the record: a credential of a batch
// without a credential_proofs row still needs one. Only batches completed more than
// PROOF_GRACE_MS ago are looked at (the queue proves a 10,000-row batch in minutes when healthy),
// and a batch found with every proof is marked (batches.proofs_done_at) so that later runs skip
// it. Batches from before proofs were made for them start unmarked, so the sweep also backfills them.
import { and, asc, eq, isNotNull, isNull, lte } from "drizzle-orm";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import { batches } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { enqueueOn } from "../jobs/enqueue.ts";
import { proveJobs } from "./batch-proofs.ts";
import { proveCredentials } from "./data-integrity.ts";

/** How long after a batch completes its proof jobs have before the sweep takes over. */
export const PROOF_GRACE_MS = 5 * 60_000;

/**
 * Work per run: credentials enqueued again (20 jobs; a duplicate of a job still queued only
 * rewrites the kept proof), of which at most `perBatch` for one batch (a batch whose proofs keep
 * failing must not starve the batches after it), batches looked at (each fully proved one is
 * marked after one indexed scan of its credentials: every batch passes here once, so at least this
 * many batches a minute must fit), and credentials proved in the run itself when the queue refuses
 * the jobs (~7 ms of CPU and ~2 subrequests each).
 */
export const PROOF_SWEEP_LIMITS = { credentials: 500, perBatch: 250, batches: 200, inline: 25 };

export interface ProofSweepReport {
  /** Batches now marked as fully proved. */
  batchesDone: number;
  /** Credentials without a proof found (and enqueued, or proved inline). */
  missing: number;
  enqueued: number;
  provedInline: number;
}

/** One sweep. Throws only when the database does not answer (the scheduler logs it; the next run retries). */
export async function sweepBatchProofs(
  env: OriginEnv,
  log: Logger,
  options: { now?: number; requestId?: string; limits?: typeof PROOF_SWEEP_LIMITS } = {},
): Promise<ProofSweepReport> {
  const now = options.now ?? Date.now();
  const limits = options.limits ?? PROOF_SWEEP_LIMITS;
  const db = database(env);
  const report: ProofSweepReport = { batchesDone: 0, missing: 0, enqueued: 0, provedInline: 0 };
  const due = await db
    .select({ id: batches.id })
    .from(batches)
    .where(and(isNull(batches.proofsDoneAt), isNotNull(batches.completedAt), lte(batches.completedAt, new Date(now - PROOF_GRACE_MS))))
    .orderBy(asc(batches.completedAt))
    .limit(limits.batches);
  const missing: string[] = [];
  for (const { id } of due) {
    if (missing.length >= limits.credentials) break;
    const ids = await unprovedCredentials(db, id, Math.min(limits.perBatch, limits.credentials - missing.length));
    if (ids.length === 0) {
      await db.update(batches).set({ proofsDoneAt: new Date(now) }).where(and(eq(batches.id, id), isNull(batches.proofsDoneAt)));
      report.batchesDone++;
    } else missing.push(...ids);
  }
  report.missing = missing.length;
  if (missing.length === 0) return report;
  const requestId = options.requestId ?? crypto.randomUUID();
  try {
    const jobs = proveJobs(missing, requestId);
    await enqueueOn(env.PROOFS, jobs);
    report.enqueued = missing.length;
  } catch (error) {
    // The queue is what failed: a few proofs now, the rest on later runs.
    log.warn("could not enqueue the missing Data Integrity proofs; proving a few here", { error, missing: missing.length });
    const outcomes = await proveCredentials(db, env, missing.slice(0, limits.inline));
    report.provedInline = [...outcomes.values()].filter((o) => o !== "missing").length;
  }
  return report;
}

/** Up to `limit` credentials of the batch without a stored proof, in row order. */
async function unprovedCredentials(db: Database, batchId: string, limit: number): Promise<string[]> {
  const result = await db.$client.execute({
    sql: `SELECT c.id FROM credentials c
          WHERE c.batch_id = ? AND NOT EXISTS (SELECT 1 FROM credential_proofs p WHERE p.credential_id = c.id)
          ORDER BY c.batch_row LIMIT ?`,
    args: [batchId, limit],
  });
  return result.rows.map((r) => String(r.id));
}

