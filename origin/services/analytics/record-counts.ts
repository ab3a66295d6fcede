// Applies one flushed chunk of the edge's counts (EdgeApi.recordCounts) exactly once: the chunk's
// flush id is inserted in the same transaction as its increments, so a retried flush (the edge
// did not see the first answer) fails on the flush id's primary key and adds nothing.
import { isUuid } from "../../../shared/ids.ts";
import { COUNT_COLUMNS, MAX_SCAN_IDS_PER_CALL, SCAN_COUNT_LIMIT, type CountFlush, type CountRow } from "../../../shared/origin-rpc.ts";
import type { Database } from "../../db/client.ts";
import { isUniqueViolation } from "../orgs/create-org.ts";
import { isCalendarDay } from "./days.ts";

/** Longest flush id taken (the edge sends `<uuid>:<sequence>`). */
const MAX_FLUSH_ID_CHARS = 100;

// One statement per (credential, day): the row takes org and achievement from the credential, so
// counts of an id that is not a credential of ours are dropped by the SELECT (anyone can invent ids).
const UPSERT_SQL = `INSERT INTO credential_daily_counts (credential_id, day, org_id, achievement_id, ${COUNT_COLUMNS.join(", ")})
SELECT id, ?, org_id, achievement_id, ${COUNT_COLUMNS.map(() => "?").join(", ")} FROM credentials WHERE id = ?
ON CONFLICT (credential_id, day) DO UPDATE SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;

/** Thrown for a call the edge never makes (too many rows, no flush id): a bug, not data to drop. */
export class BadFlushError extends Error {
  override readonly name = "BadFlushError";
}

function validCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) < SCAN_COUNT_LIMIT;
}

/** The well-formed rows of a flush (malformed ones are ignored, like unknown credentials). */
export function wellFormedRows(rows: unknown): CountRow[] {
  if (!Array.isArray(rows)) return [];
  return rows.filter(
    (r: CountRow) =>
      typeof r === "object" && r !== null && isUuid(r.credentialId) && isCalendarDay(r.day) &&
      typeof r.counts === "object" && r.counts !== null && Object.values(r.counts).every(validCount),
  );
}

/** Adds the chunk's counts once; `applied: false` when its flush id was applied before. */
export async function recordCounts(db: Database, flush: CountFlush, now = Date.now()): Promise<{ applied: boolean; rows: number }> {
  const flushId = flush?.flushId;
  if (typeof flushId !== "string" || flushId.length === 0 || flushId.length > MAX_FLUSH_ID_CHARS) throw new BadFlushError("recordCounts needs a flush id");
  if (Array.isArray(flush.rows) && flush.rows.length > MAX_SCAN_IDS_PER_CALL) throw new BadFlushError(`recordCounts takes at most ${MAX_SCAN_IDS_PER_CALL} rows per call`);
  const rows = wellFormedRows(flush.rows);
  try {
    await db.$client.batch(
      [
        { sql: "INSERT INTO applied_count_flushes (flush_id, applied_at) VALUES (?, ?)", args: [flushId, now] },
        ...rows.map((r) => ({
          sql: UPSERT_SQL,
          args: [r.day, ...COUNT_COLUMNS.map((c) => r.counts[c] ?? 0), r.credentialId.toLowerCase()],
        })),
      ],
      "write",
    );
  } catch (error) {
    if (isUniqueViolation(error, "applied_count_flushes.flush_id")) return { applied: false, rows: 0 };
    throw error;
  }
  return { applied: true, rows: rows.length };
}

/** How long applied flush ids are kept: a retry comes within minutes (the edge backs off to 10 min at most). */
export const FLUSH_ID_RETENTION_MS = 7 * 24 * 3600_000;

/** Deletes applied flush ids older than FLUSH_ID_RETENTION_MS; returns how many. */
export async function purgeAppliedFlushes(db: Database, now = Date.now()): Promise<number> {
  const result = await db.$client.execute({ sql: "DELETE FROM applied_count_flushes WHERE applied_at < ?", args: [now - FLUSH_ID_RETENTION_MS] });
  return result.rowsAffected;
}
