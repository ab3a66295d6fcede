// The per-request lifecycle both Workers share: a request id and logger at the start; one log
// line, RED metrics and the `x-request-id` header at the end.
import { createLogger, type Logger } from "./logger.ts";
import type { RequestMetrics } from "./metrics.ts";
import { requestIdFrom } from "./request-id.ts";

/** What a handler knows about the request it serves; `orgId` and `operation` are filled in as they become known. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  startedAt: number;
  route: string;
  operation?: string;
  orgId?: string;
}

/** Starts the lifecycle: request id from `x-request-id`/`traceparent` or new, a logger bound to it. */
export function startRequest(request: Request, service: string): RequestContext {
  const requestId = requestIdFrom(request.headers);
  return { requestId, log: createLogger({ service, requestId }), startedAt: Date.now(), route: "unmatched" };
}

/** Ends the lifecycle: stamps `x-request-id`, records metrics and writes the request's log line. */
export function finishRequest(ctx: RequestContext, request: Request, response: Response, metrics: RequestMetrics): Response {
  const durationMs = Date.now() - ctx.startedAt;
  const out = withHeader(response, "x-request-id", ctx.requestId);
  metrics.observe(ctx.route, out.status, durationMs);
  const level = out.status >= 500 ? "error" : out.status >= 400 ? "warn" : "info";
  ctx.log[level]("request", {
    orgId: ctx.orgId,
    operation: ctx.operation ?? `${request.method} ${ctx.route}`,
    method: request.method,
    route: ctx.route,
    durationMs,
    status: out.status,
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
