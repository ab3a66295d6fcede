// Hrana `Error` values, shaped the way sqld (libsql-server/src/hrana/stmt.rs) shapes them, so
// code written against this server sees in production (Turso) the codes it saw locally:
// - a statement that fails to compile: `SQL_PARSE_ERROR` (syntax) or `SQL_INPUT_ERROR` (e.g. no
//   such table), message "SQL input error: ...";
// - a statement that fails while running: the PRIMARY SQLite code, e.g. `SQLITE_CONSTRAINT`
//   for a UNIQUE violation, message "SQLite error: UNIQUE constraint failed: t.x".
// @libsql/client copies `code` into `LibsqlError.code` unchanged.
import type { HranaErrorJson } from "./protocol.ts";

/** An error reported inside a pipeline result (the HTTP response is still 200). */
export class HranaError extends Error {
  override name = "HranaError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
  toJSON(): HranaErrorJson {
    return { message: this.message, code: this.code };
  }
}

const PRIMARY_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  2: "SQLITE_INTERNAL",
  3: "SQLITE_PERM",
  4: "SQLITE_ABORT",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY",
  9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  15: "SQLITE_PROTOCOL",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS",
  23: "SQLITE_AUTH",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};

const SQLITE_BUSY = 5;
const SQLITE_BUSY_SNAPSHOT = 517;

// SQLite's messages for SQL that does not parse.
const PARSE_FAILURE = /syntax error|incomplete input|unrecognized token/;

type SqliteFailure = { message: string; code: string; rawCode: number | undefined };

/** The `SqliteError` thrown by the `libsql` package, or undefined for anything else. */
function asSqliteFailure(err: unknown): SqliteFailure | undefined {
  if (!(err instanceof Error) || typeof (err as { code?: unknown }).code !== "string") return undefined;
  const { code, rawCode } = err as Error & { code: string; rawCode?: unknown };
  if (!code.startsWith("SQLITE_")) return undefined;
  return { message: err.message, code, rawCode: typeof rawCode === "number" ? rawCode : undefined };
}

function primaryCode(failure: SqliteFailure): string {
  if (failure.rawCode !== undefined) return PRIMARY_CODES[failure.rawCode & 0xff] ?? "SQLITE_UNKNOWN";
  const known = Object.values(PRIMARY_CODES).find((c) => failure.code === c || failure.code.startsWith(`${c}_`));
  return known ?? "SQLITE_UNKNOWN";
}

/**
 * SQLITE_BUSY or SQLITE_LOCKED in any variant. A statement that fails this way is not halted: it
 * stays active (with its read snapshot) until reset, which the binding only does on its next run.
 */
export function isBusyFamily(err: unknown): boolean {
  const failure = asSqliteFailure(err);
  if (failure === undefined) return false;
  const primary = primaryCode(failure);
  return primary === "SQLITE_BUSY" || primary === "SQLITE_LOCKED";
}

/** SQLITE_BUSY that waiting can cure (not BUSY_SNAPSHOT, which needs a new transaction). */
export function isRetryableBusy(err: unknown): boolean {
  const failure = asSqliteFailure(err);
  if (failure === undefined) return false;
  if (failure.rawCode !== undefined) return (failure.rawCode & 0xff) === SQLITE_BUSY && failure.rawCode !== SQLITE_BUSY_SNAPSHOT;
  return failure.code === "SQLITE_BUSY";
}

/** Maps a failure to compile a statement (`prepare`). */
export function prepareError(err: unknown): HranaError {
  const failure = asSqliteFailure(err);
  if (failure === undefined) throw err;
  if (PARSE_FAILURE.test(failure.message)) {
    return new HranaError("SQL_PARSE_ERROR", `SQL string could not be parsed: ${failure.message}`);
  }
  if (primaryCode(failure) === "SQLITE_ERROR") {
    return new HranaError("SQL_INPUT_ERROR", `SQL input error: ${failure.message}`);
  }
  return executionError(err);
}

/** Maps a failure while binding or running a statement. Non-SQLite errors are rethrown. */
export function executionError(err: unknown): HranaError {
  const failure = asSqliteFailure(err);
  if (failure !== undefined) return new HranaError(primaryCode(failure), `SQLite error: ${failure.message}`);
  // The libsql binding rejects values it cannot bind with a plain Error.
  if (err instanceof Error && /bind/i.test(err.message)) return new HranaError("ARGS_INVALID", err.message);
  throw err;
}

/** Maps a failure of `exec` (a sequence): parse failures as {@link prepareError}, the rest as {@link executionError}. */
export function sequenceError(err: unknown): HranaError {
  return err instanceof Error && PARSE_FAILURE.test(err.message) ? prepareError(err) : executionError(err);
}
