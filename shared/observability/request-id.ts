// Request ids: taken from the caller when it sends a usable one, so a trace spans client,
// edge, origin, queues and webhooks (startRequest makes one otherwise). W3C Trace Context §3.2 (traceparent).
import { parseTraceparent } from "./trace-context.ts";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id: `x-request-id` if safe, else the (well-formed, version 00) traceparent's trace-id, else null. */
export function callerRequestId(headers: Headers): string | null {
  const given = headers.get("x-request-id");
  if (given && SAFE_ID.test(given)) return given;
  return parseTraceparent(headers.get("traceparent"))?.traceId ?? null;
}

/** `value` when it is a request id safe to log and pass on (as `x-request-id` is checked), else null. */
export function safeRequestId(value: unknown): string | null {
  return typeof value === "string" && SAFE_ID.test(value) ? value : null;
}
