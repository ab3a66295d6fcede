// Hrana-over-HTTP streams and their batons (HTTP_V2_SPEC.md, "Execute requests on a stream").
// Each stream owns its own libsql connection, so interactive transactions are isolated. A baton
// is 32 random bytes, valid for exactly one request: every response carries a fresh one. Idle
// streams expire: their transaction is rolled back, the connection released, the write lock freed.
import { randomBytes } from "node:crypto";
import type { Connection, ConnectionPool } from "./connections.ts";
import type { WriteLock } from "./write-lock.ts";

export class Stream {
  /** Short id for logs; never the baton. */
  readonly id = randomBytes(4).toString("hex");
  /** SQL texts stored with `store_sql`, scoped to this stream. */
  readonly sqls = new Map<number, string>();
  readonly #pool: ConnectionPool;
  #conn: Connection | undefined;
  #tainted = false;

  constructor(pool: ConnectionPool) {
    this.#pool = pool;
    this.#conn = pool.take();
  }

  get closed(): boolean {
    return this.#conn === undefined;
  }

  /** The open connection; callers check `closed` first. */
  get conn(): Connection {
    if (this.#conn === undefined) throw new Error("stream is closed");
    return this.#conn;
  }

  get inTransaction(): boolean {
    return this.#conn !== undefined && this.#conn.inTransaction;
  }

  /**
   * The connection holds a statement that cannot be reset (it gave up on SQLITE_BUSY): replace
   * the connection as soon as it is out of its transaction.
   */
  replaceConnectionWhenIdle(): void {
    this.#tainted = true;
  }

  /** Called between requests: swaps a tainted connection once in autocommit state. */
  recycle(): void {
    if (!this.#tainted || this.#conn === undefined || this.#conn.inTransaction) return;
    this.#tainted = false;
    this.#pool.give(this.#conn, true);
    this.#conn = this.#pool.take();
  }

  /** Rolls back any open transaction, hands the connection back and frees the write lock. */
  close(lock: WriteLock): void {
    const conn = this.#conn;
    if (conn === undefined) return;
    this.#conn = undefined;
    this.#pool.give(conn, this.#tainted);
    lock.release(this);
  }
}

export type TakeResult = { stream: Stream } | { error: "BATON_INVALID" | "STREAM_EXPIRED" };

type Parked = { stream: Stream; timer: NodeJS.Timeout };

/** Remember expired batons this long, to answer "expired" rather than "invalid". */
const EXPIRED_MEMORY_MS = 5 * 60_000;

export type RegistryOptions = {
  pool: ConnectionPool;
  lock: WriteLock;
  idleMs: number;
  /** Called after an idle stream was expired; `rolledBack` if it had a transaction open. */
  onExpire?: (stream: Stream, rolledBack: boolean) => void;
};

export class StreamRegistry {
  readonly #pool: ConnectionPool;
  readonly #lock: WriteLock;
  readonly #idleMs: number;
  readonly #onExpire: RegistryOptions["onExpire"];
  readonly #parked = new Map<string, Parked>();
  readonly #active = new Set<Stream>();
  readonly #expired = new Map<string, number>();

  constructor(options: RegistryOptions) {
    this.#pool = options.pool;
    this.#lock = options.lock;
    this.#idleMs = options.idleMs;
    this.#onExpire = options.onExpire;
  }

  /** A new stream for a request without a baton. */
  open(): Stream {
    const stream = new Stream(this.#pool);
    this.#active.add(stream);
    return stream;
  }

  /** Claims the stream a baton points to; the baton is spent. */
  take(baton: string): TakeResult {
    const parked = this.#parked.get(baton);
    if (parked === undefined) {
      return { error: this.#expired.has(baton) ? "STREAM_EXPIRED" : "BATON_INVALID" };
    }
    clearTimeout(parked.timer);
    this.#parked.delete(baton);
    this.#active.add(parked.stream);
    return { stream: parked.stream };
  }

  /** Parks a stream after a request and returns the baton for the next one. */
  park(stream: Stream): string {
    this.#active.delete(stream);
    const baton = randomBytes(32).toString("base64url");
    const timer = setTimeout(() => this.#expire(baton), this.#idleMs);
    timer.unref();
    this.#parked.set(baton, { stream, timer });
    return baton;
  }

  /** Closes a stream that a request finished with (`close`, or its client went away). */
  discard(stream: Stream): void {
    this.#active.delete(stream);
    stream.close(this.#lock);
  }

  #expire(baton: string): void {
    const parked = this.#parked.get(baton);
    if (parked === undefined) return;
    this.#parked.delete(baton);
    const rolledBack = parked.stream.inTransaction;
    parked.stream.close(this.#lock);
    this.#onExpire?.(parked.stream, rolledBack);
    const now = Date.now();
    for (const [old, at] of this.#expired) {
      if (now - at > EXPIRED_MEMORY_MS) this.#expired.delete(old);
    }
    this.#expired.set(baton, now);
  }

  /** Rolls back and closes every stream (server shutdown). */
  closeAll(): void {
    for (const { stream, timer } of this.#parked.values()) {
      clearTimeout(timer);
      stream.close(this.#lock);
    }
    this.#parked.clear();
    for (const stream of this.#active) stream.close(this.#lock);
    this.#active.clear();
    this.#expired.clear();
  }
}
