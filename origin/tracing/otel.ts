// The origin's span export (shared/observability/otel-export.ts): service `laurel-origin`, on when
// OTEL_EXPORTER_OTLP_ENDPOINT is set. The fetch, queue and scheduled handlers are wrapped
// (`withTracing`); the edge's RPC calls run through `tracedRpc` (EdgeApi has no handler to wrap).
import { spanExportedCall, withSpanExport, type SpanExport } from "../../shared/observability/otel-export.ts";
import { originSetting, type OriginEnv } from "../env.ts";

const ORIGIN_EXPORT: SpanExport<OriginEnv> = {
  service: "laurel-origin",
  endpoint: (env) => originSetting(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
  headers: (env) => originSetting(env, "OTEL_EXPORTER_OTLP_HEADERS"),
};

/** `handler`, exporting spans when OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK is imported only then). */
export function withTracing(handler: ExportedHandler<OriginEnv>): Required<Pick<ExportedHandler<OriginEnv>, "fetch" | "queue" | "scheduled">> {
  return withSpanExport(handler as Required<Pick<ExportedHandler<OriginEnv>, "fetch" | "queue" | "scheduled">>, ORIGIN_EXPORT);
}

/** Runs one EdgeApi call as a traced invocation when exporting (its span is then the active one). */
export const tracedRpc = spanExportedCall(ORIGIN_EXPORT);
