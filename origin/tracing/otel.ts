// Span export over OTLP/HTTP (JSON) with @microlabs/otel-cf-workers, the maintained OpenTelemetry
// SDK for Workers: it wraps the fetch, queue and scheduled handlers in spans, records subrequests
// (database, KV, queues, outgoing calls) as their children and exports each trace when its
// invocation ends. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the handlers run
// unwrapped, no span is recorded and the @opentelemetry/api tracer is the no-op one.
import type { ResolveConfigFn } from "@microlabs/otel-cf-workers";
import { parseTraceparent } from "../../shared/observability/trace-context.ts";
import { originSetting, type OriginEnv } from "../env.ts";

/** OTLP/HTTP path of traces under the endpoint (the OpenTelemetry exporter convention). */
const TRACES_PATH = "/v1/traces";

const config: ResolveConfigFn<OriginEnv> = (env) => ({
  exporter: { url: `${originSetting(env, "OTEL_EXPORTER_OTLP_ENDPOINT")}${TRACES_PATH}`, headers: originSetting(env, "OTEL_EXPORTER_OTLP_HEADERS") },
  service: { name: "laurel-origin" },
  // A caller's traceparent is followed only when it is well-formed version 00 (shared/observability/trace-context.ts).
  handlers: { fetch: { acceptTraceContext: (request: Request) => parseTraceparent(request.headers.get("traceparent")) !== null } },
  // Outgoing calls get their traceparent from guardedFetch only: the database and the collector need none.
  fetch: { includeTraceContext: false },
  instrumentation: { instrumentGlobalCache: false },
});

function exporting(env: OriginEnv): boolean {
  try {
    return originSetting(env, "OTEL_EXPORTER_OTLP_ENDPOINT") !== undefined;
  } catch {
    return false; // A malformed endpoint: the settings check answers 503 NOT_CONFIGURED naming it.
  }
}

/**
 * `handler`, exporting spans when OTEL_EXPORTER_OTLP_ENDPOINT is set (decided per invocation; env
 * is fixed per deployment). The SDK is imported only then: it pulls in OpenTelemetry's semantic
 * conventions (about 0.4 MB of code), which a deployment without an exporter never needs, and
 * whose source map alone overflows the 1 MiB module messages of the workerd test pool.
 */
export function withTracing(handler: ExportedHandler<OriginEnv>): Required<Pick<ExportedHandler<OriginEnv>, "fetch" | "queue" | "scheduled">> {
  let traced: Promise<ExportedHandler<OriginEnv>> | undefined;
  const tracedHandler = () =>
    (traced ??= import("@microlabs/otel-cf-workers").then(({ instrument }) => instrument({ ...handler }, config as ResolveConfigFn) as ExportedHandler<OriginEnv>));
  return {
    fetch: async (request, env, ctx) => (exporting(env) ? (await tracedHandler()).fetch!(request, env, ctx) : handler.fetch!(request, env, ctx)),
    queue: async (batch, env, ctx) => (exporting(env) ? (await tracedHandler()).queue!(batch, env, ctx) : handler.queue!(batch, env, ctx)),
    scheduled: async (controller, env, ctx) =>
      exporting(env) ? (await tracedHandler()).scheduled!(controller, env, ctx) : handler.scheduled!(controller, env, ctx),
  };
}
