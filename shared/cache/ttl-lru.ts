// In-isolate memory tier: a bounded LRU with per-entry expiry. Map insertion order is the
// recency order, so get() re-inserts and eviction drops the first key.

/**
 * A bounded least-recently-used cache whose entries expire `ttlMs` after they were set (`Infinity`:
 * kept until evicted, for values that never change, such as imported keys or immutable rows).
 *
 * The rule for every in-isolate cache of both Workers: it holds settled values only. Never a
 * promise: workerd ties I/O to the request that started it, so a promise shared across requests
 * hangs or fails for everyone when that request is cancelled or ends. And a rejected or timed-out
 * load is never set: only what a load returned is remembered (a "not found" answer included, where
 * the caller chooses to cache it). Concurrent misses of one key are joined by
 * edge/cache/coalesce.ts, which shares settled results, never promises; elsewhere each concurrent
 * miss loads for itself. edge/services/projections.test.ts and edge/cache/coalesce.test.ts guard
 * both halves.
 */
export class TtlLru<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${ttlMs}`);
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
  }

  /** The live value of `key` (now the most recently used), or undefined; an expired entry is dropped. */
  get(key: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Stores a settled value for `ttlMs`, evicting the least recently used entry when full. */
  set(key: string, value: V, ttlMs = this.ttlMs, now = Date.now()): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  /** Forgets `key` (a write in this isolate made its value stale). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }
}
