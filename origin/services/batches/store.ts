// Batches in the database: the batch and all its rows are written in one transaction when the
// request is accepted, so nothing is lost if a consumer dies later; progress is counted from rows.
import type { InStatement } from "@libsql/client/web";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { batchRows, batches } from "../../db/schema/index.ts";
import { recordBatchCompleted } from "../webhooks/events.ts";
import type { TraceContext } from "../../../shared/observability/trace-context.ts";
import type { BatchRowInput } from "./intake.ts";

/** Rows per `batch.issue` job. */
export const JOB_ROWS = 250;

export type BatchStatus = (typeof batches.$inferSelect)["status"];

/** A new batch's status: queued, or complete at once when no row is fit to issue. */
export function intakeStatus(rows: readonly BatchRowInput[]): BatchStatus {
  return rows.some((r) => r.state === "pending") ? "queued" : "completed_with_errors";
}

/**
 * Undoes a batch stored by `insertBatch` whose jobs could not be queued, with `alsoCommit` (e.g.
 * reopenIdempotencyKeyStatement) in the same transaction.
 */
export async function removeBatch(db: Database, batchId: string, alsoCommit: readonly InStatement[] = []): Promise<void> {
  await db.$client.batch(
    [
      { sql: "DELETE FROM batch_rows WHERE batch_id = ?", args: [batchId] },
      { sql: "DELETE FROM batches WHERE id = ?", args: [batchId] },
      ...alsoCommit,
    ],
    "write",
  );
}

/**
 * Stores a new batch with all its rows (one transaction); a batch of only bad rows is complete at
 * once. The rows travel as one JSON argument expanded by `json_each`: building a 10,000-row INSERT
 * with drizzle (nine bound values per row) took about a tenth of the thread in a profile of a
 * batch; JSON.stringify of the same rows is native and cheap.
 */
export async function insertBatch(
  db: Database,
  /** `trace`: the span storing it, which an at-once batch.completed event continues. */
  batch: { id: string; orgId: string; achievementId: string; requestId: string; trace?: TraceContext | null },
  rows: readonly BatchRowInput[],
  /** Statements committed in the same transaction, e.g. the Idempotency-Key answer (completeIdempotencyKeyStatement). */
  alsoCommit: readonly InStatement[] = [],
): Promise<{ status: BatchStatus; pending: number }> {
  const pending = rows.filter((r) => r.state === "pending").length;
  const status = intakeStatus(rows);
  const now = new Date();
  const rowsJson = JSON.stringify(rows.map((r) => [r.row, r.name, r.email, r.validUntil, r.state, r.errorCode, r.errorDetail]));
  await db.$client.batch(
    [
      {
        sql: `INSERT INTO batches (id, org_id, achievement_id, status, total, request_id, created_at, completed_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [batch.id, batch.orgId, batch.achievementId, status, rows.length, batch.requestId, now.getTime(), pending > 0 ? null : now.getTime()],
      },
      {
        sql: `INSERT INTO batch_rows (batch_id, row, name, email, valid_until, state, credential_id, error_code, error_detail)
              SELECT ?, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, NULL, r.value ->> 5, r.value ->> 6
              FROM json_each(?) AS r`,
        args: [batch.id, rowsJson],
      },
      ...alsoCommit,
      ...(pending > 0 ? [] : recordBatchCompleted(batch.id, batch.trace)), // complete at once: batch.completed now
    ],
    "write",
  );
  return { status, pending };
}

/** The `batch.issue` ranges [fromRow, toRow) that hold at least one pending row. */
export function jobRanges(rows: readonly BatchRowInput[], size = JOB_ROWS): { fromRow: number; toRow: number }[] {
  const starts = new Set<number>();
  for (const r of rows) if (r.state === "pending") starts.add(Math.floor((r.row - 1) / size) * size + 1);
  return [...starts].sort((a, b) => a - b).map((fromRow) => ({ fromRow, toRow: fromRow + size }));
}

/** What `GET /v1/batches/:id` answers; null when the org has no such batch. */
export async function batchStatus(db: Database, orgId: string, batchId: string) {
  const [batch] = await db
    .select({ id: batches.id, status: batches.status, total: batches.total, createdAt: batches.createdAt, completedAt: batches.completedAt })
    .from(batches)
    .where(and(eq(batches.id, batchId), eq(batches.orgId, orgId)))
    .limit(1);
  if (!batch) return null;
  const [counts, errors] = await db.batch([
    db
      .select({ state: batchRows.state, count: sql<number>`count(*)` })
      .from(batchRows)
      .where(eq(batchRows.batchId, batchId))
      .groupBy(batchRows.state),
    db
      .select({ row: batchRows.row, code: batchRows.errorCode, detail: batchRows.errorDetail })
      .from(batchRows)
      .where(and(eq(batchRows.batchId, batchId), eq(batchRows.state, "failed")))
      .orderBy(asc(batchRows.row)),
  ]);
  const count = (state: string) => Number(counts.find((c) => c.state === state)?.count ?? 0);
  return {
    id: batch.id,
    status: batch.status,
    total: batch.total,
    issued: count("issued"),
    failed: count("failed"),
    pending: count("pending"),
    errors: errors.map((e) => ({ row: e.row, code: e.code ?? "FAILED", detail: e.detail ?? "" })),
    createdAt: batch.createdAt.toISOString(),
    completedAt: batch.completedAt?.toISOString() ?? null,
  };
}

/**
 * Marks the batch completed (or completed_with_errors) once no row is pending. The conditional
 * UPDATE makes this happen exactly once however many chunk jobs race to it; returns whether this
 * call did it, and the final status.
 */
export async function completeIfDone(db: Database, batchId: string, trace: TraceContext | null = null): Promise<BatchStatus | null> {
  // The batch.completed webhook event commits with the status change (services/webhooks/events.ts).
  const [result] = await db.$client.batch([{
    sql: `UPDATE batches
          SET status = CASE WHEN EXISTS (SELECT 1 FROM batch_rows WHERE batch_id = ? AND state = 'failed')
                            THEN 'completed_with_errors' ELSE 'completed' END,
              completed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
          WHERE id = ? AND status IN ('queued', 'running')
            AND NOT EXISTS (SELECT 1 FROM batch_rows WHERE batch_id = ? AND state = 'pending')
          RETURNING status`,
    args: [batchId, batchId, batchId],
  }, ...recordBatchCompleted(batchId, trace)], "write");
  const row = result!.rows[0];
  return row ? (String(row.status) as BatchStatus) : null;
}
