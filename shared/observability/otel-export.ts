// Span export over OTLP/HTTP (JSON) for both Workers, with @microlabs/otel-cf-workers, the
// maintained OpenTelemetry SDK for Workers: it wraps the fetch, queue and scheduled handlers in
// spans, records subrequests (database, KV, queues, outgoing calls) as their children and exports
// each trace when its invocation ends. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the
// handlers run unwrapped, no span is recorded and the @opentelemetry/api tracer is the no-op one.
// Workers only (the SDK needs nodejs_compat); shared/ holds it because the edge imports only shared/.
import type { ResolveConfigFn } from "@microlabs/otel-cf-workers";
import { trace } from "@opentelemetry/api";
import { parseTraceparent, type TraceCarrier } from "./trace-context.ts";

/** OTLP/HTTP path of traces under the endpoint (the OpenTelemetry exporter convention). */
const TRACES_PATH = "/v1/traces";

/** Where a Worker's spans go: its service name and its parsed settings (endpoint undefined: off; throws when malformed). */
export interface SpanExport<E> {
  service: string;
  endpoint(env: E): string | undefined;
  headers(env: E): Record<string, string>;
}

type Handlers<E> = Pick<ExportedHandler<E>, "fetch" | "queue" | "scheduled">;
/** The Worker's ExecutionContext (spelled through ExportedHandler: shared/ also typechecks for Node). */
type Context<E> = Parameters<NonNullable<ExportedHandler<E>["fetch"]>>[2];

function config<E>(exp: SpanExport<E>): ResolveConfigFn<E> {
  return (env) => ({
    exporter: { url: `${exp.endpoint(env)}${TRACES_PATH}`, headers: exp.headers(env) },
    service: { name: exp.service },
    // A caller's traceparent is followed only when it is well-formed version 00 (trace-context.ts).
    handlers: { fetch: { acceptTraceContext: (request: Request) => parseTraceparent(request.headers.get("traceparent")) !== null } },
    // Outgoing calls get their traceparent from our own code only: the database and the collector need none.
    fetch: { includeTraceContext: false },
    instrumentation: { instrumentGlobalCache: false },
  });
}

function exporting<E>(exp: SpanExport<E>, env: E): boolean {
  try {
    return exp.endpoint(env) !== undefined;
  } catch {
    return false; // A malformed endpoint: the settings check answers 503 NOT_CONFIGURED naming it.
  }
}

/**
 * A handler that exports spans when the endpoint is set (decided per invocation; env is fixed per
 * deployment). The SDK is imported only then: it pulls in OpenTelemetry's semantic conventions
 * (about 0.4 MB of code), which a deployment without an exporter never needs, and whose source
 * map alone overflows the 1 MiB module messages of the workerd test pool.
 */
export function withSpanExport<E, H extends Handlers<E>>(handler: H, exp: SpanExport<E>): H {
  let traced: Promise<Handlers<E>> | undefined;
  const tracedHandler = () =>
    (traced ??= import("@microlabs/otel-cf-workers").then(({ instrument }) => instrument({ ...handler } as ExportedHandler, config(exp) as ResolveConfigFn) as unknown as Handlers<E>));
  const out: Handlers<E> = {};
  if (handler.fetch) out.fetch = async (request, env, ctx) => (exporting(exp, env) ? (await tracedHandler()).fetch!(request, env, ctx) : handler.fetch!(request, env, ctx));
  if (handler.queue) out.queue = async (batch, env, ctx) => (exporting(exp, env) ? (await tracedHandler()).queue!(batch, env, ctx) : handler.queue!(batch, env, ctx));
  if (handler.scheduled) {
    out.scheduled = async (controller, env, ctx) => (exporting(exp, env) ? (await tracedHandler()).scheduled!(controller, env, ctx) : handler.scheduled!(controller, env, ctx));
  }
  return out as H;
}

const RUN = Symbol("rpc call");
type RpcRequest<E> = Request & { [RUN]: { name: string; run: (env: E) => Promise<void> } };

/** Runs one RPC call in its span: `env` is the one to use inside (instrumented when exporting). */
export type ExportedCall<E> = <T>(env: E, ctx: Context<E>, name: string, caller: TraceCarrier | null, run: (env: E) => Promise<T>) => Promise<T>;

/**
 * Runs RPC calls (WorkerEntrypoint methods, which the SDK does not wrap yet: its issue #192) as
 * invocations the SDK traces: a synthetic request (never sent anywhere) carrying the caller's
 * traceparent goes through an instrumented fetch handler that runs the call, so it gets a server
 * span named `name` in the caller's trace (the active span while it runs), its subrequests become
 * children and the trace is exported when it ends. Without an endpoint set the call runs as it is.
 */
export function spanExportedCall<E>(exp: SpanExport<E>): ExportedCall<E> {
  let traced: Promise<Handlers<E>> | undefined;
  const handler: ExportedHandler<E> = {
    async fetch(request, env) {
      const call = (request as unknown as RpcRequest<E>)[RUN];
      trace.getActiveSpan()?.updateName(call.name);
      await call.run(env);
      return new Response(null, { status: 204 });
    },
  };
  const tracedHandler = () =>
    (traced ??= import("@microlabs/otel-cf-workers").then(({ instrument }) => instrument({ ...handler } as ExportedHandler, config(exp) as ResolveConfigFn) as unknown as Handlers<E>));
  return async <T>(env: E, ctx: Context<E>, name: string, caller: TraceCarrier | null, run: (env: E) => Promise<T>): Promise<T> => {
    if (!exporting(exp, env)) return run(env);
    let result: { value: T } | undefined;
    const headers = new Headers(caller ? Object.entries(caller).filter(([k]) => k === "traceparent" || k === "tracestate") : []);
    const request = Object.assign(new Request("https://rpc.invalid/", { method: "POST", headers }), {
      [RUN]: { name, run: async (instrumented: E) => void (result = { value: await run(instrumented) }) },
    });
    await (await tracedHandler()).fetch!(request as never, env, ctx);
    return result!.value;
  };
}
