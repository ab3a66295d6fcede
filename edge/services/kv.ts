// KV reads on the hot path. A KV read can fail transiently (in production a 5xx from the KV
// service; locally, SQLITE_BUSY when the origin's process writes the shared store at the same
// moment): retry briefly before letting the request fail.
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";

const RETRY_DELAYS_MS = [5, 25, 100];

async function withRetry<T>(read: () => Promise<T>): Promise<T> {
  // Counted once per read, retries excluded: KV is billed per read (docs/capacity.md).
  edgeMetrics.increment("laurel_edge_kv_reads_total");
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A JSON projection from KV (null when absent), with `cacheTtl` seconds of edge caching. */
export function readKvJson<T>(env: EdgeEnv, key: string, cacheTtl: number): Promise<T | null> {
  return withRetry(() => env.PROJECTIONS.get<T>(key, { type: "json", cacheTtl }));
}

/** Binary KV value (images), null when absent. */
export function readKvBytes(env: EdgeEnv, key: string, cacheTtl: number): Promise<ArrayBuffer | null> {
  return withRetry(() => env.PROJECTIONS.get(key, { type: "arrayBuffer", cacheTtl }));
}
