import type { EdgeApiRpc } from "../shared/origin-rpc.ts";
import type { ScanCounter } from "./objects/scan-counter.do.ts";
import type { StatusListAuthority } from "./objects/status-list-authority.do.ts";

/** Bindings of the edge Worker (../wrangler.toml). */
export interface EdgeEnv {
  SERVICE_NAME: string;
  PUBLIC_BASE_URL?: string;
  /** POST /api/v1/verify budget per client IP and isolate, "<burst>/<seconds>" (default "60/60"). */
  VERIFY_RATE_LIMIT?: string;
  /** Origin read-throughs (misses of memory, KV and the negative cache) per client and isolate, "<burst>/<seconds>" (default "30/60"). */
  ORIGIN_READ_RATE_LIMIT?: string;
  PROJECTIONS: KVNamespace;
  STATUS_LISTS: DurableObjectNamespace<StatusListAuthority>;
  SCAN_COUNTERS: DurableObjectNamespace<ScanCounter>;
  ORIGIN: Fetcher & EdgeApiRpc;
  /** Workers Rate Limiting binding, shared across a colo's isolates (optional second layer). */
  VERIFY_RATE_LIMITER?: RateLimit;
}
