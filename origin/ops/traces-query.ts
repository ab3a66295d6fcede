// Looks a trace up in the trace store (OTEL_TRACES_QUERY_URL: the local OTLP receiver under
// `npm start`, local/otlp-receiver), by request id or trace id. The store is the operator's own
// service, configured like the exporter and sent the same headers; a plain fetch with a deadline.
import type { SpanRecord } from "../../shared/observability/span-record.ts";
import { originSetting, type OriginEnv } from "../env.ts";

/** One span as the store answers it. */
export type TraceSpan = SpanRecord;

export type TraceLookup = { kind: "found"; spans: TraceSpan[] } | { kind: "not_configured" } | { kind: "unavailable" };

const QUERY_TIMEOUT_MS = 5_000;

/** The spans of every trace `query` names (oldest first). */
export async function lookUpTrace(env: OriginEnv, query: { requestId?: string; traceId?: string }): Promise<TraceLookup> {
  const base = originSetting(env, "OTEL_TRACES_QUERY_URL");
  if (!base) return { kind: "not_configured" };
  const params = new URLSearchParams(query.traceId ? { traceId: query.traceId } : { requestId: query.requestId ?? "" });
  try {
    const res = await fetch(`${base}/v1/spans?${params}`, { headers: originSetting(env, "OTEL_EXPORTER_OTLP_HEADERS"), signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    if (!res.ok) return { kind: "unavailable" };
    const body = (await res.json()) as { spans?: TraceSpan[] };
    return { kind: "found", spans: Array.isArray(body.spans) ? body.spans : [] };
  } catch {
    return { kind: "unavailable" };
  }
}
