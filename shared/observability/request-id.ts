// Request ids: taken from the caller when it sends a usable one, so a trace spans client,
// edge, origin, queues and webhooks (startRequest makes one otherwise). W3C Trace Context §3.2 (traceparent).

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's request id: `x-request-id` if safe, else the traceparent's trace-id, else null. */
export function callerRequestId(headers: Headers): string | null {
  const given = headers.get("x-request-id");
  if (given && SAFE_ID.test(given)) return given;
  const trace = headers.get("traceparent")?.match(TRACEPARENT)?.[1];
  if (trace && !/^0+$/.test(trace)) return trace;
  return null;
}
