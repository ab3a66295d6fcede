// Joins concurrent misses of one key in an isolate into one load, without sharing a promise
// across requests (the rule of shared/cache/ttl-lru.ts): the first request loads and leaves its settled result
// here; the others poll for it on their own timers for a short while, then load for themselves.
// So a first load that is cancelled (its request ended), fails or hangs costs the others at most
// `waitMs`, never their answer, and a rejected load leaves nothing behind.
import { TtlLru } from "../../shared/cache/ttl-lru.ts";

const POLL_MS = 10;

/**
 * Coalesces concurrent loads per key. A result (null included) is read only by requests that
 * arrived while its load ran; a later request loads again. A load that throws leaves nothing.
 */
export class LoadCoalescer<T> {
  private readonly loading: TtlLru<true>;
  private readonly results: TtlLru<{ value: T }>;
  private readonly waitMs: number;

  constructor(waitMs = 2_000, maxKeys = 10_000) {
    this.waitMs = waitMs;
    this.loading = new TtlLru(maxKeys, waitMs);
    this.results = new TtlLru(maxKeys, waitMs);
  }

  /** The value of `load()` for `key`, or the settled value of a concurrent load of it. */
  async run(key: string, load: () => Promise<T>): Promise<T> {
    if (this.loading.get(key)) {
      const until = Date.now() + this.waitMs;
      while (this.loading.get(key) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const settled = this.results.get(key);
      if (settled) return settled.value;
    }
    this.loading.set(key, true);
    this.results.delete(key); // waiters of this load must not take an earlier load's result
    try {
      const value = await load();
      this.results.set(key, { value });
      return value;
    } finally {
      this.loading.delete(key);
    }
  }
}
