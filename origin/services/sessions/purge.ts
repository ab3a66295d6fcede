// The scheduled purge of console sign-in state that can no longer matter: sessions past their idle
// or absolute timeout (otherwise deleted only when presented again, which an abandoned browser
// never does) and login_throttle rows whose window and lock have both ended. Bounded per run: at
// most PURGE_BATCHES × PURGE_BATCH_SIZE rows per table; what is left waits for the next run.
import type { Database } from "../../db/client.ts";
import { WINDOW_MS } from "./login-throttle.ts";
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from "./sessions.ts";

export const PURGE_BATCH_SIZE = 500;
export const PURGE_BATCHES = 4;

export interface PurgeBounds {
  batchSize: number;
  batches: number;
}

async function deleteInBatches(db: Database, statement: string, args: number[], bounds: PurgeBounds): Promise<number> {
  let total = 0;
  for (let i = 0; i < bounds.batches; i++) {
    const { rowsAffected } = await db.$client.execute({ sql: statement, args: [...args, bounds.batchSize] });
    total += rowsAffected;
    if (rowsAffected < bounds.batchSize) break;
  }
  return total;
}

/** Deletes expired console sessions and spent login_throttle rows; answers how many of each. */
export async function purgeConsoleSignInState(
  db: Database,
  now = Date.now(),
  bounds: PurgeBounds = { batchSize: PURGE_BATCH_SIZE, batches: PURGE_BATCHES },
): Promise<{ sessions: number; throttles: number }> {
  const sessions = await deleteInBatches(
    db,
    "DELETE FROM console_sessions WHERE id_hash IN (SELECT id_hash FROM console_sessions WHERE last_seen_at < ? OR created_at < ? LIMIT ?)",
    [now - IDLE_TIMEOUT_MS, now - ABSOLUTE_TIMEOUT_MS],
    bounds,
  );
  // A row still counts failures while its window is open, and still locks while locked_until is
  // ahead; past both it is only history (recordFailure starts a new window for the key anyway).
  const throttles = await deleteInBatches(
    db,
    "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?) LIMIT ?)",
    [now - WINDOW_MS, now],
    bounds,
  );
  return { sessions, throttles };
}
