// Scan counting off the hot path: views are summed in isolate memory for a moment, then added to
// one of 16 ScanCounter shards (by hash of the id) in waitUntil; the shards flush to the origin in
// batches from their alarms. Nothing here can delay or fail the request that counted.
import type { Logger } from "../../shared/observability/logger.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";

/** Number of ScanCounter Durable Objects the counts are spread over. */
export const SCAN_SHARDS = 16;
/** How long an isolate gathers scans before handing them to the shards. */
export const SCAN_GATHER_MS = 250;
/** Most distinct ids an isolate gathers per hand-over; views of further ids are not counted. */
export const MAX_GATHERED_IDS = 10_000;

let pending = new Map<string, number>();
// When the next hand-over was scheduled: a flag, not its promise (settled values only, see
// shared/cache/ttl-lru.ts). A hand-over whose request context ended before its timer fired is replaced
// after a few gathering periods instead of blocking counting for the isolate's lifetime.
let handOverScheduledAt: number | null = null;

/** FNV-1a 32-bit of the id, modulo the shard count. */
export function scanShardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SCAN_SHARDS;
}

/** The Durable Object name of a shard. */
export function scanShardName(shard: number): string {
  return `scans-${shard}`;
}

async function handOver(env: EdgeEnv, log?: Logger): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SCAN_GATHER_MS));
  const batch = pending;
  pending = new Map();
  handOverScheduledAt = null;
  const byShard = new Map<number, Record<string, number>>();
  for (const [id, n] of batch) {
    const shard = scanShardOf(id);
    const counts = byShard.get(shard) ?? {};
    counts[id] = n;
    byShard.set(shard, counts);
  }
  await Promise.all(
    [...byShard].map(async ([shard, counts]) => {
      try {
        await env.SCAN_COUNTERS.get(env.SCAN_COUNTERS.idFromName(scanShardName(shard))).add(counts);
      } catch (error) {
        // Counts are analytics: losing one batch beats failing or slowing a verification.
        edgeMetrics.increment("laurel_edge_scan_handover_errors_total");
        log?.warn("scan counts dropped", { shard, error });
      }
    }),
  );
}

/** Counts one view of credential `id`; returns at once, the work runs in waitUntil. */
export function recordScan(env: EdgeEnv, exec: ExecutionContext, id: string, log?: Logger): void {
  try {
    const seen = pending.get(id);
    if (seen === undefined && pending.size >= MAX_GATHERED_IDS) {
      edgeMetrics.increment("laurel_edge_scans_dropped_total");
      return;
    }
    pending.set(id, (seen ?? 0) + 1);
    edgeMetrics.increment("laurel_edge_scans_total");
    const now = Date.now();
    if (handOverScheduledAt === null || now - handOverScheduledAt > SCAN_GATHER_MS * 4) {
      handOverScheduledAt = now;
      exec.waitUntil(handOver(env, log).catch(() => {}));
    }
  } catch (error) {
    log?.warn("scan not counted", { error });
  }
}
