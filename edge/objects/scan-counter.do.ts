import { DurableObject } from "cloudflare:workers";
import { MAX_SCAN_IDS_PER_CALL, SCAN_COUNT_LIMIT } from "../../shared/origin-rpc.ts";
import type { EdgeEnv } from "../env.ts";

/** How often a shard flushes its counts to the origin. */
export const SCAN_FLUSH_INTERVAL_MS = 30_000;
/** Pause between chunks while a backlog (more than one chunk) drains. */
export const SCAN_DRAIN_INTERVAL_MS = 1_000;
/**
 * Most distinct ids a shard holds (16 shards: 320,000 ids). While the origin is down the counts
 * of ids already held keep growing; scans of further ids are dropped (analytics, not state).
 */
export const MAX_PENDING_IDS = 20_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const PREFIX = "scans:";
const HELD_IDS = "held-ids";
// Durable Object storage takes at most 128 keys per multi-key get/put/delete.
const MAX_KEYS = 128;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_KEYS) out.push(items.slice(i, i + MAX_KEYS));
  return out;
}

/** What one flush did: `more` when a backlog is left for the next one. */
export interface FlushOutcome {
  ok: boolean;
  flushed: number;
  more: boolean;
  error?: string;
}

/**
 * One shard of the scan counters (edge/services/scans.ts picks the shard by hash of the id).
 * Views are added off the hot path and flushed to the origin's `recordScans` from the alarm, at
 * most MAX_SCAN_IDS_PER_CALL ids per call (the most the origin accepts), so a backlog built up
 * during an origin outage drains chunk by chunk; a failed flush keeps the counts and retries with
 * backoff, and the held ids are bounded by MAX_PENDING_IDS.
 */
export class ScanCounter extends DurableObject<EdgeEnv> {
  /** Adds scan counts (credential id → views) and makes sure a flush is scheduled; returns the ids dropped for lack of room. */
  async add(counts: Record<string, number>): Promise<{ dropped: number }> {
    const ids = Object.keys(counts).filter((id) => Number.isSafeInteger(counts[id]) && (counts[id] ?? 0) > 0);
    if (ids.length === 0) return { dropped: 0 };
    let held = (await this.ctx.storage.get<number>(HELD_IDS)) ?? 0;
    let dropped = 0;
    for (const part of chunks(ids)) {
      const now = await this.ctx.storage.get<number>(part.map((id) => PREFIX + id));
      const next: Record<string, number> = {};
      for (const id of part) {
        const before = now.get(PREFIX + id);
        if (before === undefined) {
          if (held >= MAX_PENDING_IDS) {
            dropped++;
            continue;
          }
          held++;
        }
        next[PREFIX + id] = Math.min(Number.MAX_SAFE_INTEGER, (before ?? 0) + (counts[id] ?? 0));
      }
      if (Object.keys(next).length > 0) await this.ctx.storage.put(next);
    }
    await this.ctx.storage.put(HELD_IDS, held);
    if (dropped > 0) this.warn("scan counts dropped: shard full", { dropped, held });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
    return { dropped };
  }

  /** Counts not yet flushed to the origin. */
  async pending(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [key, n] of await this.ctx.storage.list<number>({ prefix: PREFIX })) out[key.slice(PREFIX.length)] = n;
    return out;
  }

  /**
   * Sends one chunk of the pending counts (≤ MAX_SCAN_IDS_PER_CALL ids, each count below the
   * origin's limit) and subtracts what was sent (scans added meanwhile stay). On failure
   * everything stays for the next attempt; never throws.
   */
  async flush(): Promise<FlushOutcome> {
    const listed = await this.ctx.storage.list<number>({ prefix: PREFIX, limit: MAX_SCAN_IDS_PER_CALL + 1 });
    const more = listed.size > MAX_SCAN_IDS_PER_CALL;
    const sent: Record<string, number> = {};
    for (const [key, n] of [...listed].slice(0, MAX_SCAN_IDS_PER_CALL)) sent[key.slice(PREFIX.length)] = Math.min(n, SCAN_COUNT_LIMIT - 1);
    const ids = Object.keys(sent);
    if (ids.length === 0) return { ok: true, flushed: 0, more: false };
    try {
      await this.env.ORIGIN.recordScans(sent);
    } catch (error) {
      return { ok: false, flushed: 0, more: false, error: error instanceof Error ? error.message : String(error) };
    }
    let released = 0;
    for (const part of chunks(ids)) {
      const now = await this.ctx.storage.get<number>(part.map((id) => PREFIX + id));
      const keep: Record<string, number> = {};
      const drop: string[] = [];
      for (const id of part) {
        const left = (now.get(PREFIX + id) ?? 0) - (sent[id] ?? 0);
        if (left > 0) keep[PREFIX + id] = left;
        else drop.push(PREFIX + id);
      }
      if (drop.length > 0) await this.ctx.storage.delete(drop);
      if (Object.keys(keep).length > 0) await this.ctx.storage.put(keep);
      released += drop.length;
    }
    const held = (await this.ctx.storage.get<number>(HELD_IDS)) ?? 0;
    await this.ctx.storage.put(HELD_IDS, Math.max(0, held - released));
    return { ok: true, flushed: ids.length, more };
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const outcome = await this.flush();
    if (!outcome.ok) {
      const failures = ((await this.ctx.storage.get<number>("failures")) ?? 0) + 1;
      await this.ctx.storage.put("failures", failures);
      this.warn("scan flush failed", { attempt: info?.retryCount, failures, error: outcome.error });
      await this.ctx.storage.setAlarm(Date.now() + Math.min(SCAN_FLUSH_INTERVAL_MS * 2 ** failures, MAX_BACKOFF_MS));
      return;
    }
    await this.ctx.storage.delete("failures");
    if (outcome.more) await this.ctx.storage.setAlarm(Date.now() + SCAN_DRAIN_INTERVAL_MS);
    else if ((await this.ctx.storage.list({ prefix: PREFIX, limit: 1 })).size > 0) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
  }

  private warn(message: string, fields: Record<string, unknown>): void {
    console.error(JSON.stringify({ ts: new Date().toISOString(), level: "warn", service: "edge", operation: "scans.flush", message, ...fields }));
  }
}
