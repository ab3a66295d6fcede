// Tells whether a statement will write, so the stream can take the write lock BEFORE running it.
// `libsql` does not expose sqlite3_stmt_readonly(), so we ask SQLite the same question another
// way: the compiled program of a writing statement (INSERT, DDL, BEGIN IMMEDIATE, ...) opens the
// database with a write transaction (`Transaction` opcode with P2 != 0).
import type { Connection } from "./connections.ts";
import { firstKeyword } from "./sql-text.ts";

const CACHE_LIMIT = 2000;

export class WriteDetector {
  readonly #cache = new Map<string, boolean>();

  /** true / false, or undefined when the statement does not compile (it will fail anyway). */
  isWrite(conn: Connection, sql: string): boolean | undefined {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    if (firstKeyword(sql) === "EXPLAIN") return false;
    let program: unknown[][];
    try {
      const explain = conn.prepare(`EXPLAIN ${sql}`).raw(true);
      program = explain.all([]) as unknown[][];
      // An EXPLAIN listing that ran to its end is NOT halted: until reset it counts as an active
      // (writing) statement, and SQLite defers every autocommit COMMIT on this connection.
      // The binding has no reset(); get() resets the statement after reading a row.
      explain.get([]);
    } catch {
      return undefined;
    }
    const writes = program.some(
      (op) => (op[1] === "Transaction" && Number(op[3]) !== 0) || op[1] === "Vacuum",
    );
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(sql, writes);
    return writes;
  }
}
