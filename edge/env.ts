import type { EdgeApiRpc } from "../shared/origin-rpc.ts";
import type { ScanCounter } from "./objects/scan-counter.do.ts";
import type { StatusListAuthority } from "./objects/status-list-authority.do.ts";

/** Bindings of the edge Worker (../wrangler.toml). */
export interface EdgeEnv {
  SERVICE_NAME: string;
  PUBLIC_BASE_URL?: string;
  PROJECTIONS: KVNamespace;
  STATUS_LISTS: DurableObjectNamespace<StatusListAuthority>;
  SCAN_COUNTERS: DurableObjectNamespace<ScanCounter>;
  ORIGIN: Fetcher & EdgeApiRpc;
}
