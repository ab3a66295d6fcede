// Trace propagation through the origin's queues. Each request and each queue message runs with a
// copy of the env made for its span: `TRACE` names the span, and the queue producers stamp that
// span's W3C context on every message they send (a `trace` field beside `requestId`), so the
// consumer's span becomes its child. One wrapper at the bindings instead of a parameter threaded
// through every service that enqueues: no producer can forget it, and the job bodies' builders
// stay as they are. guardedFetch reads `TRACE` for the traceparent of outgoing calls.
import { traceCarrier, type TraceContext } from "../../shared/observability/trace-context.ts";
import { withSameSettings } from "../../shared/config/settings.ts";
import type { OriginEnv } from "../env.ts";

/** The producers whose messages carry trace context (the dead-letter queue keeps bodies as they were). */
const TRACED_QUEUES = ["JOBS", "BATCHES", "NOTIFICATIONS", "WEBHOOKS", "INTEGRATIONS", "PROOFS"] as const;

function stamp(body: unknown, trace: TraceContext): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body) || "trace" in body) return body;
  return { ...body, trace: traceCarrier(trace) };
}

function tracedQueue(queue: Queue, trace: TraceContext): Queue {
  return {
    send: (body, options) => queue.send(stamp(body, trace), options),
    sendBatch: (messages, options) => queue.sendBatch([...messages].map((m) => ({ ...m, body: stamp(m.body, trace) })), options),
  } as Queue;
}

/** A copy of `env` acting for the span `trace`: TRACE set, queue messages stamped with it. */
export function withTrace<E extends Partial<Pick<OriginEnv, (typeof TRACED_QUEUES)[number] | "TRACE">>>(env: E, trace: TraceContext): E {
  // Settings are the same as env's: parsed once per isolate, not once per request.
  const copy: E = withSameSettings({ ...env, TRACE: trace }, env);
  for (const name of TRACED_QUEUES) {
    const queue = env[name];
    if (queue) (copy as Record<string, unknown>)[name] = tracedQueue(queue, trace);
  }
  return copy;
}
