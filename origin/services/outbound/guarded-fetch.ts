// The one way the origin calls a customer-configured URL (webhook deliveries, LMS APIs): the target
// is re-checked against the SSRF rules before each request, redirects are never followed (a 3xx is
// answered as is, and callers treat it as a failure), every request has a deadline, and at most
// `maxResponseBytes` of the answer are read, so a hostile or broken peer can neither reach inside
// our network nor hold a Worker or flood its memory.
//
// Production note: Workers' fetch() cannot reach private networks at all, and names are resolved
// by Cloudflare, so checking the resolved address (DNS rebinding) is Cloudflare's part there; the
// URL checks here stop IP literals, loopback and special-use names before any request is made.
import { readStreamCapped } from "../../../shared/bytes.ts";
import type { OriginEnv } from "../../env.ts";
import { checkTargetUrl } from "./target-url.ts";
import { formatTraceparent } from "../../../shared/observability/trace-context.ts";
import { SpanKind, startSpan } from "../../../shared/observability/spans.ts";

export interface OutboundRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Deadline of the whole exchange, answer body included (ms). */
  timeoutMs: number;
  /** Bytes of the answer body read at most; a longer answer is a `too_large` failure. */
  maxResponseBytes: number;
}

/** What came of an outbound request: an answer (any status, 3xx included) or why there was none. */
export type OutboundResult =
  | { kind: "response"; status: number; headers: Headers; body: Uint8Array; durationMs: number }
  | { kind: "refused"; reason: string; durationMs: 0 }
  | { kind: "timeout" | "network_error" | "too_large"; reason: string; durationMs: number };

class ResponseTooLarge extends Error {}

/**
 * Performs one guarded request; never throws for anything the peer does. The request is a client
 * span, a child of `env.TRACE` (the request's or message's span), and carries it as `traceparent`
 * (W3C Trace Context), so the peer can join its own spans to ours.
 */
export async function guardedFetch(request: OutboundRequest, env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS" | "TRACE">): Promise<OutboundResult> {
  const check = checkTargetUrl(request.url, env);
  if (!check.ok) return { kind: "refused", reason: check.reason, durationMs: 0 };
  const method = request.method ?? "GET";
  // Host only: paths and queries of customer URLs may carry tokens.
  const span = startSpan(`${method} ${check.url.host}`, env.TRACE ?? null, { "http.request.method": method, "server.address": check.url.hostname }, SpanKind.CLIENT);
  const result = await send(request, check.url, { ...request.headers, traceparent: formatTraceparent(span.context) });
  span.set({ "http.response.status_code": result.kind === "response" ? result.status : undefined, "laurel.outcome": result.kind });
  span.end(result.kind === "response" && result.status < 400 ? undefined : new Error(result.kind));
  return result;
}

async function send(request: OutboundRequest, url: URL, headers: Record<string, string>): Promise<OutboundResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(url, {
      method: request.method ?? "GET",
      headers,
      body: request.body,
      redirect: "manual",
      signal,
    });
    const body = await readStreamCapped(response.body, request.maxResponseBytes, () => new ResponseTooLarge());
    return { kind: "response", status: response.status, headers: response.headers, body, durationMs: Date.now() - started };
  } catch (error) {
    const durationMs = Date.now() - started;
    if (error instanceof ResponseTooLarge) return { kind: "too_large", reason: `the answer is larger than ${request.maxResponseBytes} bytes`, durationMs };
    if (signal.aborted) return { kind: "timeout", reason: `no complete answer within ${request.timeoutMs} ms`, durationMs };
    return { kind: "network_error", reason: error instanceof Error ? error.message : String(error), durationMs };
  }
}
