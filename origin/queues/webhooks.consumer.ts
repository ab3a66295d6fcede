// Consumer of laurel-webhooks. A `webhook.due` message starts up to MAX_IN_FLIGHT_PER_ENDPOINT
// lanes per endpoint of the org (one `webhook.deliver` each); a lane attempts its delivery, then
// the endpoint's next due one, and so on. A message whose endpoint already has its fill of
// attempts in flight is acked: those lanes take its delivery. Every step is idempotent (attempts
// are claimed in the database), so a duplicate message does nothing. Messages run concurrently: a
// slow receiver holds only its own lanes, never another endpoint's.
import { createLogger, type Logger } from "../../shared/observability/logger.ts";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import { throwIfFaultInjected } from "../ops/faults.ts";
import { attemptDelivery, type AttemptOptions } from "../services/webhooks/deliver.ts";
import { dueDeliveries, nextDueForEndpoint } from "../services/webhooks/deliveries.ts";
import { MAX_IN_FLIGHT_PER_ENDPOINT } from "../services/webhooks/policy.ts";
import { MAX_QUEUE_DELAY_SECONDS, sendWebhookMessages, type WebhookMessage } from "./webhooks.ts";
import { messageSpan, traceFields } from "../tracing/message-span.ts";
import { traceCarrier } from "../../shared/observability/trace-context.ts";
import { withTrace } from "../tracing/traced-env.ts";

/** Attempts one message runs in a row for an endpoint before handing its lane to a new message. */
const LANE_ATTEMPTS = 50;

function isWebhookMessage(body: unknown): body is WebhookMessage {
  const type = (body as { type?: unknown } | null)?.type;
  return type === "webhook.due" || type === "webhook.deliver";
}

/** Handles one batch of laurel-webhooks; `options` lets tests run the schedule on a later clock. */
export async function consumeWebhooks(batch: MessageBatch<unknown>, env: OriginEnv, options: AttemptOptions = {}): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      if (!isWebhookMessage(msg.body)) {
        createLogger({ service: "origin", queue: batch.queue, operation: "webhook.unknown" }).error("unknown webhook message dropped", { messageId: msg.id });
        msg.ack();
        return;
      }
      const body = msg.body;
      // Its own span, a child of the sender's; the deliveries it attempts are that span's children.
      const span = messageSpan(batch.queue, msg, body.type);
      const log = createLogger({ service: "origin", requestId: body.requestId, ...traceFields(span), queue: batch.queue, operation: body.type, messageId: msg.id, attempt: msg.attempts });
      try {
        throwIfFaultInjected(env, batch.queue);
        await span.run(() => handle(withTrace(env, span.context), body, options, log));
        msg.ack();
        span.end();
      } catch (error) {
        const delaySeconds = Math.min(2 ** Math.max(1, msg.attempts), 300);
        log.error("webhook message failed, retrying", { error, delaySeconds });
        span.end(error);
        msg.retry({ delaySeconds });
      }
    }),
  );
}

async function handle(env: OriginEnv, body: WebhookMessage, options: AttemptOptions, log: Logger): Promise<void> {
  if (body.type === "webhook.due") {
    // A few per endpoint, one per lane: each lane then works through its endpoint's backlog.
    const now = options.now ?? Date.now();
    const ids = await dueDeliveries(database(env), { dueBy: now, now, perEndpoint: MAX_IN_FLIGHT_PER_ENDPOINT, orgId: body.orgId });
    await sendWebhookMessages(env, ids.map((deliveryId) => ({ type: "webhook.deliver", deliveryId, requestId: body.requestId })));
    return;
  }
  const first = await attempt(env, body.deliveryId, body, options, log);
  if (first === null) return;
  // A lane: once an attempt ran, take the endpoint's next due delivery, and so on. Messages that
  // found the endpoint busy were acked: the lanes in flight take their deliveries.
  for (let runs = 1; ; runs++) {
    const next = await nextDueForEndpoint(database(env), first, options.now ?? Date.now());
    if (next === null) return;
    if (runs >= LANE_ATTEMPTS) {
      // Hand the lane over to a fresh message rather than hold this invocation.
      await sendWebhookMessages(env, [{ type: "webhook.deliver", deliveryId: next, requestId: body.requestId }]);
      return;
    }
    const endpoint = await attempt(env, next, body, options, log);
    if (endpoint === null) return;
  }
}

/** One attempt and its follow-up (the retry message); returns the endpoint id when an attempt ran. */
async function attempt(env: OriginEnv, deliveryId: string, body: WebhookMessage, options: AttemptOptions, log: Logger): Promise<string | null> {
  const started = Date.now();
  const outcome = await attemptDelivery(env, deliveryId, options);
  if (outcome.kind === "busy" || outcome.kind === "skipped") {
    log.debug("webhook delivery not attempted", { deliveryId, outcome: outcome.kind, durationMs: Date.now() - started });
    return null;
  }
  // The attempt's lines tell its event's story: the request id and trace stored with the event.
  const { requestId, trace } = outcome.cause;
  const fields = {
    deliveryId,
    outcome: outcome.kind,
    durationMs: Date.now() - started,
    ...(requestId ? { requestId } : {}),
    ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
  };
  if (outcome.kind === "retry") {
    const delaySeconds = Math.ceil((outcome.nextAttemptAt - (options.now ?? Date.now())) / 1000);
    // Past the queue's longest delay the scheduled sweep sends it when due.
    if (delaySeconds <= MAX_QUEUE_DELAY_SECONDS) {
      const retry: WebhookMessage = { type: "webhook.deliver", deliveryId, requestId: requestId ?? body.requestId, ...(trace ? { trace: traceCarrier(trace) } : {}) };
      await sendWebhookMessages(env, [retry], Math.max(delaySeconds, 1));
    }
    log.info("webhook attempt failed", { ...fields, statusCode: outcome.statusCode, error: outcome.error, delaySeconds });
  } else if (outcome.kind === "dead") {
    log.warn("webhook delivery dead-lettered", { ...fields, statusCode: outcome.statusCode, error: outcome.error });
  } else {
    log.info("webhook delivered", { ...fields, statusCode: outcome.statusCode });
  }
  return outcome.endpointId;
}
