// The per-request lifecycle both Workers share: a request id and logger at the start; one log
// line (or, with an AccessLogSampler, the lines worth writing), RED metrics (recorded beyond the
// isolate when `recording` is set) and the `x-request-id` header at the end.
import type { AccessLogSampler } from "./access-log.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { RequestMetrics } from "./metrics.ts";
import type { RecordingIo } from "./metrics-recorder.ts";
import { callerRequestId } from "./request-id.ts";
import { childContext, traceFromHeaders, type TraceContext } from "./trace-context.ts";

/** What a handler knows about the request it serves; `orgId` and `operation` are filled in as they become known. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  startedAt: number;
  route: string;
  operation?: string;
  orgId?: string;
  /** The caller sent the request id (x-request-id/traceparent): its line is always written. */
  traced?: boolean;
  /** Where the request's data point goes beyond this isolate (Analytics Engine, the aggregator); set by the Worker. */
  recording?: RecordingIo;
  /** This request's span (a child of the caller's traceparent, or the root of a new trace); its ids are on every log line. */
  trace: TraceContext;
}

/**
 * Starts the lifecycle: request id from `x-request-id`/`traceparent` or new, this request's span
 * (`span`, when a tracer already started one; else a child of a well-formed traceparent, else a new
 * trace), a logger bound to the request id and the trace id.
 */
export function startRequest(request: Request, service: string, span?: TraceContext): RequestContext {
  const given = callerRequestId(request.headers);
  const requestId = given ?? crypto.randomUUID();
  const trace = span ?? childContext(traceFromHeaders(request.headers));
  const log = createLogger({ service, requestId, traceId: trace.traceId, spanId: trace.spanId });
  return { requestId, log, startedAt: Date.now(), route: "unmatched", traced: given !== null, trace };
}

/**
 * Ends the lifecycle: stamps `x-request-id`, records metrics and writes the request's log line;
 * with `sampler`, only the lines it keeps, plus its periodic summary line.
 */
export function finishRequest(
  ctx: RequestContext,
  request: Request,
  response: Response,
  metrics: RequestMetrics,
  sampler?: AccessLogSampler,
): Response {
  const now = Date.now();
  const durationMs = now - ctx.startedAt;
  const out = withHeader(response, "x-request-id", ctx.requestId);
  metrics.observe(ctx.route, out.status, durationMs, ctx.recording, ctx.orgId);
  const decision = sampler?.record({ method: request.method, route: ctx.route, status: out.status, durationMs, traced: ctx.traced === true }, now);
  if (decision?.summary) {
    createLogger({ service: String(ctx.log.fields.service) }).info("request summary", { operation: "access.summary", ...decision.summary });
  }
  if (decision && !decision.write) return out;
  const level = out.status >= 500 ? "error" : out.status >= 400 ? "warn" : "info";
  ctx.log[level]("request", {
    orgId: ctx.orgId,
    operation: ctx.operation ?? `${request.method} ${ctx.route}`,
    method: request.method,
    route: ctx.route,
    durationMs,
    status: out.status,
    sampleRate: decision?.sampleRate,
  });
  return out;
}

// Responses from fetch()/cache are immutable: copy only when the header is missing or different.
function withHeader(response: Response, name: string, value: string): Response {
  if (response.headers.get(name) === value) return response;
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
