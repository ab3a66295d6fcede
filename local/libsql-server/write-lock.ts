// The database-wide write lock, held by at most one stream at a time.
//
// The libsql API is synchronous and Node has one thread: a connection that waited for SQLite's
// own lock (busy_timeout) would freeze the event loop, so the COMMIT that frees the lock could
// never arrive. Connections therefore run with busy_timeout = 0 and a stream that is about to
// write waits HERE, asynchronously, in FIFO order, until the stream whose transaction holds the
// lock commits, rolls back, closes or expires.
import { HranaError } from "./errors.ts";

type Waiter = { owner: object; grant: () => void; fail: (err: Error) => void };

export class WriteLock {
  #owner: object | null = null;
  #waiters: Waiter[] = [];

  isHeldBy(owner: object): boolean {
    return this.#owner === owner;
  }

  /**
   * Resolves once `owner` holds the lock. Rejects with SQLITE_BUSY after `timeoutMs`, or when
   * `signal` aborts (the HTTP client went away).
   */
  acquire(owner: object, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#owner === owner) return Promise.resolve();
    if (this.#owner === null && this.#waiters.length === 0) {
      this.#owner = owner;
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(new HranaError("SQLITE_BUSY", "client went away"));
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      };
      const waiter: Waiter = {
        owner,
        grant: () => {
          done();
          resolve();
        },
        fail: (err) => {
          done();
          reject(err);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new HranaError("SQLITE_BUSY", `SQLite error: database is locked (waited ${timeoutMs} ms for the write lock)`)),
        timeoutMs,
      );
      const onAbort = (): void => waiter.fail(new HranaError("SQLITE_BUSY", "client went away while waiting for the write lock"));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Frees the lock if `owner` holds it and hands it to the longest waiter. */
  release(owner: object): void {
    if (this.#owner !== owner) return;
    this.#owner = null;
    const next = this.#waiters[0];
    if (next !== undefined) {
      this.#owner = next.owner;
      next.grant();
    }
  }

  /** Fails every waiter (server shutdown). */
  failAll(err: Error): void {
    for (const waiter of [...this.#waiters]) waiter.fail(err);
  }
}
