import { DurableObject } from "cloudflare:workers";
import type { EdgeEnv } from "../env.ts";

/** How often a shard flushes its counts to the origin. */
export const SCAN_FLUSH_INTERVAL_MS = 30_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const PREFIX = "scans:";
// Durable Object storage takes at most 128 keys per multi-key get/put/delete.
const MAX_KEYS = 128;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_KEYS) out.push(items.slice(i, i + MAX_KEYS));
  return out;
}

/**
 * One shard of the scan counters (edge/services/scans.ts picks the shard by hash of the id).
 * Views are added off the hot path and flushed to the origin's `recordScans` in one batch per
 * alarm (every ~30 s); a failed flush keeps the counts and retries with backoff.
 */
export class ScanCounter extends DurableObject<EdgeEnv> {
  /** Adds scan counts (credential id → views) and makes sure a flush is scheduled. */
  async add(counts: Record<string, number>): Promise<void> {
    const ids = Object.keys(counts).filter((id) => Number.isSafeInteger(counts[id]) && (counts[id] ?? 0) > 0);
    if (ids.length === 0) return;
    for (const part of chunks(ids)) {
      const held = await this.ctx.storage.get<number>(part.map((id) => PREFIX + id));
      const next: Record<string, number> = {};
      for (const id of part) next[PREFIX + id] = (held.get(PREFIX + id) ?? 0) + (counts[id] ?? 0);
      await this.ctx.storage.put(next);
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
  }

  /** Counts not yet flushed to the origin. */
  async pending(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [key, n] of await this.ctx.storage.list<number>({ prefix: PREFIX })) out[key.slice(PREFIX.length)] = n;
    return out;
  }

  /**
   * Sends the pending counts to the origin in one call and subtracts what was sent (scans added
   * meanwhile stay). On failure everything stays for the next attempt; never throws.
   */
  async flush(): Promise<{ ok: boolean; flushed: number; error?: string }> {
    const sent = await this.pending();
    const ids = Object.keys(sent);
    if (ids.length === 0) return { ok: true, flushed: 0 };
    try {
      await this.env.ORIGIN.recordScans(sent);
    } catch (error) {
      return { ok: false, flushed: 0, error: error instanceof Error ? error.message : String(error) };
    }
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
    }
    return { ok: true, flushed: ids.length };
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const outcome = await this.flush();
    if (outcome.ok) await this.ctx.storage.delete("failures");
    else {
      const failures = ((await this.ctx.storage.get<number>("failures")) ?? 0) + 1;
      await this.ctx.storage.put("failures", failures);
      console.error(JSON.stringify({ ts: new Date().toISOString(), level: "warn", service: "edge", message: "scan flush failed", attempt: info?.retryCount, failures, error: outcome.error }));
      await this.ctx.storage.setAlarm(Date.now() + Math.min(SCAN_FLUSH_INTERVAL_MS * 2 ** failures, MAX_BACKOFF_MS));
      return;
    }
    if (Object.keys(await this.pending()).length > 0) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
  }
}
