// A queue message's span: a child of the span that sent it (the `trace` field the producer stamped,
// origin/tracing/traced-env.ts), or the root of a new trace for a message sent without one.
import { traceFromCarrier, type TraceCarrier } from "../../shared/observability/trace-context.ts";
import { SpanKind, startSpan, type TracedSpan } from "../../shared/observability/spans.ts";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Starts the consumer span of `msg` on `queue`; `jobType` names it (`job batch.issue`, `webhook.deliver`...). */
export function messageSpan(queue: string, msg: Message<unknown>, jobType: string): TracedSpan {
  const body = (typeof msg.body === "object" && msg.body !== null ? msg.body : {}) as { trace?: TraceCarrier; requestId?: unknown; orgId?: unknown };
  return startSpan(
    `${queue} ${jobType}`,
    traceFromCarrier(body.trace),
    {
      "messaging.system": "cloudflare_queues",
      "messaging.destination.name": queue,
      "messaging.message.id": msg.id,
      "laurel.job_type": jobType,
      "laurel.attempt": msg.attempts,
      "laurel.request_id": text(body.requestId),
      "laurel.org_id": text(body.orgId),
    },
    SpanKind.CONSUMER,
  );
}

/** The log fields naming a span: every line of a request's or message's work carries them. */
export function traceFields(span: TracedSpan): { traceId: string; spanId: string } {
  return { traceId: span.context.traceId, spanId: span.context.spanId };
}
