import * as z from "zod/mini";
import { defineSettings, publicBaseUrlSetting } from "../shared/config/settings.ts";
import { otlpEndpointSetting, otlpHeadersSetting } from "../shared/observability/otlp-settings.ts";
import type { EdgeApiRpc } from "../shared/origin-rpc.ts";
import type { TraceContext } from "../shared/observability/trace-context.ts";
import type { ScanCounter } from "./objects/scan-counter.do.ts";
import type { MetricsAggregator } from "./objects/metrics-aggregator.do.ts";
import type { StatusListAuthority } from "./objects/status-list-authority.do.ts";
import type { StatusListRelay } from "./objects/status-list-relay.do.ts";

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
  /** One relay per status list per location, in front of STATUS_LISTS (edge/services/status-lists.ts). */
  STATUS_RELAYS: DurableObjectNamespace<StatusListRelay>;
  SCAN_COUNTERS: DurableObjectNamespace<ScanCounter>;
  ORIGIN: Fetcher & EdgeApiRpc;
  /** Workers Rate Limiting binding, shared across a colo's isolates (optional second layer). */
  VERIFY_RATE_LIMITER?: RateLimit;
  /** The stack-wide metrics aggregator (edge/objects/metrics-aggregator.do.ts; docs/operations.md "Metrics"). */
  METRICS?: DurableObjectNamespace<MetricsAggregator>;
  /** Workers Analytics Engine dataset of the edge's requests (docs/operations.md "Metrics"). */
  METRICS_EVENTS?: AnalyticsEngineDataset;
  /** OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`), as the origin's; unset, no spans are exported (edge/tracing/otel.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Headers of the exports, `name=value,name=value` (values URL-encoded). A secret. */
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  /** Not a binding: the span of the request this copy of the env serves (edge/tracing/request-env.ts). */
  TRACE?: TraceContext;
  /** Not a binding: the id of that request, passed on with every call to the origin. */
  REQUEST_ID?: string;
}

/** A rate limit, "<burst>/<seconds>": at most `burst` calls at once, refilled over `seconds`. */
export interface RateLimitSetting {
  burst: number;
  perMs: number;
}

const RATE_LIMIT = /^([1-9]\d{0,6})\/([1-9]\d{0,6})$/;
const RATE_LIMIT_RULE = 'must be "<burst>/<seconds>", two whole numbers from 1 (e.g. "60/60")';

function rateLimitSetting(fallback: string) {
  // prefault: the default string goes through the same parse as a configured one.
  return z.prefault(
    z.pipe(
      z.string({ error: RATE_LIMIT_RULE }).check(z.regex(RATE_LIMIT, { error: RATE_LIMIT_RULE })),
      z.transform((raw: string): RateLimitSetting => {
        const [, burst, seconds] = RATE_LIMIT.exec(raw)!.map(Number) as [number, number, number];
        return { burst, perMs: burst / (seconds * 1000) };
      }),
    ),
    fallback,
  );
}

/** POST /api/v1/verify budget per client and isolate when VERIFY_RATE_LIMIT is unset. */
export const DEFAULT_VERIFY_RATE_LIMIT = "60/60";
/** Origin read-throughs per client and isolate when ORIGIN_READ_RATE_LIMIT is unset. */
export const DEFAULT_ORIGIN_READ_RATE_LIMIT = "30/60";

/**
 * The edge's settings, checked before any request is served (answer: 503 NOT_CONFIGURED naming
 * the setting); code reads each one with `edgeSetting`. PUBLIC_BASE_URL is required: the edge never
 * takes its public URLs from a request's Host header.
 */
export const edgeSettings = defineSettings({
  PUBLIC_BASE_URL: publicBaseUrlSetting,
  VERIFY_RATE_LIMIT: rateLimitSetting(DEFAULT_VERIFY_RATE_LIMIT),
  ORIGIN_READ_RATE_LIMIT: rateLimitSetting(DEFAULT_ORIGIN_READ_RATE_LIMIT),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpointSetting,
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeadersSetting,
});

/** One parsed edge setting (see `edgeSettings`); throws SettingError naming it when missing or malformed. */
export const edgeSetting = edgeSettings.read;
