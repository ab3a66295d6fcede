// The edge's span export (shared/observability/otel-export.ts): service `laurel-edge`, on when
// OTEL_EXPORTER_OTLP_ENDPOINT is set (the origin's setting name), with the SDK imported only then.
// Each request is a server span (a child of a well-formed incoming traceparent); its RPC calls to
// the origin are client spans under it (edge/services/origin.ts), whose context the origin continues.
import { withSpanExport } from "../../shared/observability/otel-export.ts";
import { edgeSetting, type EdgeEnv } from "../env.ts";

/** `handler`, exporting the edge's spans when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export function withEdgeTracing<H extends Pick<ExportedHandler<EdgeEnv>, "fetch">>(handler: H): H {
  return withSpanExport<EdgeEnv, H>(handler, {
    service: "laurel-edge",
    endpoint: (env) => edgeSetting(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
    headers: (env) => edgeSetting(env, "OTEL_EXPORTER_OTLP_HEADERS"),
  });
}
