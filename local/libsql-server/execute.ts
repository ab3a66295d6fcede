// Runs statements, batches, sequences and describes on a stream's connection, taking the write
// lock before anything that writes (see write-lock.ts) and mapping failures to Hrana errors.
import { executionError, HranaError, isBusyFamily, isRetryableBusy, prepareError, sequenceError } from "./errors.ts";
import type { BatchCond, BatchResult, BatchStep, DescribeResult, Stmt, StmtResult } from "./protocol.ts";
import { sqlFacts } from "./sql-text.ts";
import { noteSettingsChange, type Connection } from "./connections.ts";
import type { Stream } from "./stream.ts";
import { encodeValue, type HranaValue, type SqlValue } from "./values.ts";
import type { WriteDetector } from "./write-detect.ts";
import type { WriteLock } from "./write-lock.ts";

export type ExecContext = {
  stream: Stream;
  lock: WriteLock;
  writes: WriteDetector;
  lockTimeoutMs: number;
  /** Aborts lock waits when the HTTP client goes away. */
  signal: AbortSignal | undefined;
};

// Statements that set changes() and last_insert_rowid().
const DML = new Set(["INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"]);

/** The SQL text of a statement: inline, or stored earlier on this stream with `store_sql`. */
export function resolveSql(stream: Stream, sql: string | undefined, sqlId: number | undefined): string {
  if (sql !== undefined) return sql;
  const stored = sqlId === undefined ? undefined : stream.sqls.get(sqlId);
  if (stored === undefined) throw new HranaError("SQL_NOT_FOUND", `No SQL text is stored with sql_id ${sqlId}`);
  return stored;
}

function checkSingleStatement(sql: string): void {
  const count = sqlFacts(sql).statementCount;
  if (count === 0) throw new HranaError("SQL_NO_STATEMENT", "SQL string does not contain any statement");
  if (count > 1) throw new HranaError("SQL_MANY_STATEMENTS", "SQL string contains more than one statement");
}

/**
 * Positional values for the statement's parameter slots. Named arguments are placed by name
 * (a name without its `:`/`@`/`$` prefix matches any of them), because the libsql binding
 * aborts the process when an object is bound to a statement with a bare `?`.
 */
function bindArgs(sql: string, stmt: Stmt): SqlValue[] {
  if (stmt.args.length > 0 && stmt.namedArgs.length > 0) {
    throw new HranaError("ARGS_BOTH_POSITIONAL_AND_NAMED", "Specifying both positional and named arguments is not supported");
  }
  const slots = sqlFacts(sql).parameterSlots;
  if (stmt.namedArgs.length === 0) {
    if (stmt.args.length > slots.length) {
      throw new HranaError("ARGS_INVALID", `Arguments do not match SQL parameters: ${stmt.args.length} given, the statement has ${slots.length}`);
    }
    return stmt.args;
  }
  const values: SqlValue[] = slots.map(() => null);
  for (const { name, value } of stmt.namedArgs) {
    const candidates = /^[:@$]/.test(name) ? [name] : [`:${name}`, `@${name}`, `$${name}`];
    const index = slots.findIndex((slot) => slot !== null && candidates.includes(slot));
    if (index < 0) throw new HranaError("ARGS_INVALID", `Arguments do not match SQL parameters: no parameter named ${name}`);
    values[index] = value;
  }
  return values;
}

function waitForWriteLock(ctx: ExecContext): Promise<void> {
  return ctx.lock.acquire(ctx.stream, ctx.lockTimeoutMs, ctx.signal);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`; on SQLITE_BUSY (a writer this server did not expect, e.g. another process on the
 * same file) waits for our lock or backs off, then retries. A statement that failed with BUSY
 * changed nothing, so retrying it is safe.
 */
async function withBusyRetry<T>(ctx: ExecContext, fn: () => T): Promise<T> {
  const deadline = Date.now() + ctx.lockTimeoutMs;
  let delayMs = 2;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!isRetryableBusy(err) || Date.now() >= deadline) throw err;
      if (!ctx.lock.isHeldBy(ctx.stream)) await waitForWriteLock(ctx);
      else await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 100);
    }
  }
}

const metaStatements = new WeakMap<Connection, ReturnType<Connection["prepare"]>>();

function changesAndRowid(conn: Connection): [bigint, bigint] {
  let stmt = metaStatements.get(conn);
  if (stmt === undefined) {
    stmt = conn.prepare("SELECT changes(), last_insert_rowid()").raw(true).safeIntegers(true);
    metaStatements.set(conn, stmt);
  }
  return stmt.all([])[0] as [bigint, bigint];
}

type Prepared = ReturnType<Connection["prepare"]>;

// Prepared statements per connection, by SQL text: preparing was the server's second-largest cost
// in a profile of the origin under load (the same few statements, again and again). A statement
// is reset by every run, so reuse is safe; SQLite re-prepares it itself after a schema change.
const statements = new WeakMap<Connection, Map<string, Prepared>>();
const MAX_STATEMENTS_PER_CONNECTION = 128;

function prepare(conn: Connection, sql: string): Prepared {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  const cached = cache.get(sql);
  if (cached) return cached;
  let prepared: Prepared;
  try {
    prepared = conn.prepare(sql);
  } catch (err) {
    throw prepareError(err);
  }
  if (cache.size >= MAX_STATEMENTS_PER_CONNECTION) cache.clear();
  cache.set(sql, prepared);
  return prepared;
}

function columnsOf(prepared: Prepared): DescribeResult["cols"] {
  return prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
}

/**
 * Runs a prepared statement. Retries must reuse the SAME statement: the binding resets it
 * before each run, whereas a statement left behind after SQLITE_BUSY stays active and makes
 * SQLite defer every later autocommit COMMIT on the connection.
 */
function run(conn: Connection, prepared: Prepared, sql: string, params: SqlValue[], wantRows: boolean, writes: boolean): StmtResult {
  let cols: StmtResult["cols"] = [];
  let rows: HranaValue[][] = [];
  if (prepared.reader) {
    cols = columnsOf(prepared);
    const raw = prepared.all(params) as unknown[][];
    if (wantRows) rows = raw.map((row) => row.map(encodeValue));
  } else {
    prepared.run(params);
  }
  // Only DML owns these counters; otherwise they are stale, and on a pooled connection they
  // would even come from another client's statement.
  if (!writes || !DML.has(sqlFacts(sql).firstKeyword)) return { cols, rows, affected_row_count: 0, last_insert_rowid: null };
  const [changes, rowid] = changesAndRowid(conn);
  return { cols, rows, affected_row_count: Number(changes), last_insert_rowid: rowid.toString() };
}

/** Hrana `execute`: one statement; failures are thrown as {@link HranaError}. */
export async function executeStmt(ctx: ExecContext, stmt: Stmt): Promise<StmtResult> {
  const { stream } = ctx;
  const sql = resolveSql(stream, stmt.sql, stmt.sqlId);
  checkSingleStatement(sql);
  const params = bindArgs(sql, stmt);
  const writes = ctx.writes.isWrite(stream.conn, sql) === true;
  if (writes) await waitForWriteLock(ctx);
  const conn = stream.conn;
  noteSettingsChange(conn, sqlFacts(sql).firstKeyword);
  const prepared = prepare(conn, sql);
  if (prepared.reader) prepared.raw(true).safeIntegers(true);
  try {
    return await withBusyRetry(ctx, () => run(conn, prepared, sql, params, stmt.wantRows, writes));
  } catch (err) {
    // Failed busy: the statement is still active on this connection (see run()).
    if (isBusyFamily(err)) stream.replaceConnectionWhenIdle();
    throw err instanceof HranaError ? err : executionError(err);
  }
}

function holds(cond: BatchCond, results: Array<StmtResult | null>, errors: Array<unknown>, stream: Stream): boolean {
  switch (cond.type) {
    case "ok":
      return results[cond.step] != null;
    case "error":
      return errors[cond.step] != null;
    case "not":
      return !holds(cond.cond, results, errors, stream);
    case "and":
      return cond.conds.every((c) => holds(c, results, errors, stream));
    case "or":
      return cond.conds.some((c) => holds(c, results, errors, stream));
    case "is_autocommit":
      return !stream.inTransaction;
  }
}

function stepWrites(ctx: ExecContext, step: BatchStep): boolean {
  try {
    return ctx.writes.isWrite(ctx.stream.conn, resolveSql(ctx.stream, step.stmt.sql, step.stmt.sqlId)) === true;
  } catch {
    return false;
  }
}

/**
 * Hrana `batch`. If any step writes, the lock is taken before the first step, so a batch's
 * reads and writes see one snapshot (no SQLITE_BUSY_SNAPSHOT halfway through).
 */
export async function executeBatch(ctx: ExecContext, steps: BatchStep[]): Promise<BatchResult> {
  if (!ctx.lock.isHeldBy(ctx.stream) && steps.some((step) => stepWrites(ctx, step))) {
    await waitForWriteLock(ctx);
  }
  const results: BatchResult["step_results"] = [];
  const errors: BatchResult["step_errors"] = [];
  for (const [i, step] of steps.entries()) {
    results.push(null);
    errors.push(null);
    if (step.condition !== undefined && !holds(step.condition, results, errors, ctx.stream)) continue;
    try {
      results[i] = await executeStmt(ctx, step.stmt);
    } catch (err) {
      if (!(err instanceof HranaError)) throw err;
      errors[i] = err.toJSON();
    }
  }
  return { step_results: results, step_errors: errors };
}

/**
 * Hrana `sequence`: semicolon-separated statements, rows ignored, stopping at the first error.
 * It always takes the write lock (it is how migrations run) and is not retried, since
 * statements before a failing one have already run.
 */
export async function executeSequence(ctx: ExecContext, sql: string): Promise<void> {
  if (sqlFacts(sql).statementCount === 0) return;
  await waitForWriteLock(ctx);
  noteSettingsChange(ctx.stream.conn, null);
  try {
    ctx.stream.conn.exec(sql);
  } catch (err) {
    throw sequenceError(err);
  }
}

/** Hrana `describe`: parameters, result columns and whether the statement writes. */
export function describeStmt(ctx: ExecContext, sql: string): DescribeResult {
  checkSingleStatement(sql);
  const conn = ctx.stream.conn;
  const prepared = prepare(conn, sql);
  const cols = prepared.reader ? columnsOf(prepared) : [];
  return {
    params: sqlFacts(sql).parameterSlots.map((name) => ({ name })),
    cols,
    is_explain: sqlFacts(sql).firstKeyword === "EXPLAIN",
    is_readonly: ctx.writes.isWrite(conn, sql) !== true,
  };
}
