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

/** Performs one guarded request; never throws for anything the peer does. */
export async function guardedFetch(request: OutboundRequest, env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">): Promise<OutboundResult> {
  const check = checkTargetUrl(request.url, env);
  if (!check.ok) return { kind: "refused", reason: check.reason, durationMs: 0 };
  const started = Date.now();
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(check.url, {
      method: request.method ?? "GET",
      headers: request.headers,
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
