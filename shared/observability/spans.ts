// Spans of both Workers. Every unit of work (a request, a queue message, an RPC call, an outgoing
// call) has a span context whose ids go on its log lines and on whatever it sends on (queue
// messages, RPC calls, traceparent headers), whether or not spans are exported. With an exporter
// configured (shared/observability/otel-export.ts) the spans are OpenTelemetry spans recorded by
// @microlabs/otel-cf-workers and exported over OTLP; without one the @opentelemetry/api tracer is
// the no-op one, and the ids are made here. Only @opentelemetry/api (small, no SDK) is imported.
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { childContext, type TraceContext } from "./trace-context.ts";

/** Span attributes: ids, names and codes only, never personal data or secrets. */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** A started span: its context (for logs and propagation), its attributes, and its end. */
export interface TracedSpan {
  readonly context: TraceContext;
  set(attributes: SpanAttributes): void;
  /** Ends the span; with `error`, marked failed (the error's name only: messages may carry data). */
  end(error?: unknown): void;
  /** Runs `fn` with this span active, so spans the library makes inside (fetch, KV) are its children. */
  run<T>(fn: () => T): T;
}

const tracer = () => trace.getTracer("laurel");

function clean(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

function remoteParent(parent: TraceContext): Context {
  return trace.setSpanContext(context.active(), {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

function wrap(span: Span | null, ctx: TraceContext, parentContext: Context): TracedSpan {
  let ended = false;
  return {
    context: ctx,
    set: (attributes) => span?.setAttributes(clean(attributes)),
    end: (error) => {
      if (ended || !span) return;
      ended = true;
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
      span.end();
    },
    run: (fn) => (span ? context.with(trace.setSpan(parentContext, span), fn) : fn()),
  };
}

/**
 * Starts a span: a child of `parent` (a context carried by a message or header), or else of the
 * active span, or else the root of a new trace.
 */
export function startSpan(name: string, parent: TraceContext | null, attributes: SpanAttributes = {}, kind: SpanKind = SpanKind.INTERNAL): TracedSpan {
  const parentContext = parent ? remoteParent(parent) : context.active();
  let span: Span | null = null;
  try {
    span = tracer().startSpan(name, { kind, attributes: clean(attributes) }, parentContext);
  } catch {
    // The exporting tracer refuses spans outside an instrumented handler (e.g. an RPC call): no span, ids only.
    span = null;
  }
  if (span?.isRecording()) {
    const sc = span.spanContext();
    const ctx: TraceContext = { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
    if (parent?.tracestate) ctx.tracestate = parent.tracestate;
    return wrap(span, ctx, parentContext);
  }
  return wrap(null, childContext(parent ?? activeTrace()), parentContext);
}

/** The active recording span's context (the request span the exporter's fetch handler started), or null. */
export function activeTrace(): TraceContext | null {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return null;
  const sc = span.spanContext();
  return { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

/** Sets attributes on the active recording span (the request's), if any. */
export function annotateActiveSpan(attributes: SpanAttributes): void {
  trace.getActiveSpan()?.setAttributes(clean(attributes));
}

export { SpanKind };

/**
 * The active recording span as a TracedSpan (the one a handler wrapper started, e.g. an RPC call's
 * in shared/observability/otel-export.ts), with `attributes` set; null when none records. Its
 * `end` only marks a failure: the wrapper ends it.
 */
export function activeSpan(attributes: SpanAttributes = {}): TracedSpan | null {
  const span = trace.getActiveSpan();
  const ctx = activeTrace();
  if (!span || !ctx) return null;
  span.setAttributes(clean(attributes));
  return {
    context: ctx,
    set: (more) => span.setAttributes(clean(more)),
    end: (error) => {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
    },
    run: (fn) => fn(),
  };
}
