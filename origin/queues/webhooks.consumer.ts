// Consumer of laurel-webhooks. Each message is one delivery attempt or one look for an org's due
// deliveries; every step is idempotent (attempts are claimed in the database), so a duplicate
// message does nothing. Messages run concurrently: a slow receiver holds only its own attempts,
// and at most MAX_IN_FLIGHT_PER_ENDPOINT of them (the others are re-sent shortly).
import { createLogger } from "../../shared/observability/logger.ts";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import { attemptDelivery, type AttemptOptions } from "../services/webhooks/deliver.ts";
import { dueDeliveries } from "../services/webhooks/deliveries.ts";
import { MAX_QUEUE_DELAY_SECONDS, sendWebhookMessages, type WebhookMessage } from "./webhooks.ts";

/** Due deliveries one `webhook.due` message sends on at most; more than that, it sends itself again. */
const DUE_PAGE = 500;

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
      const log = createLogger({ service: "origin", requestId: body.requestId, queue: batch.queue, operation: body.type, messageId: msg.id, attempt: msg.attempts });
      try {
        await handle(env, body, options, log);
        msg.ack();
      } catch (error) {
        const delaySeconds = Math.min(2 ** Math.max(1, msg.attempts), 300);
        log.error("webhook message failed, retrying", { error, delaySeconds });
        msg.retry({ delaySeconds });
      }
    }),
  );
}

async function handle(env: OriginEnv, body: WebhookMessage, options: AttemptOptions, log: ReturnType<typeof createLogger>): Promise<void> {
  if (body.type === "webhook.due") {
    const now = options.now ?? Date.now();
    const ids = await dueDeliveries(database(env), { dueBy: now, now, limit: DUE_PAGE, orgId: body.orgId });
    await sendWebhookMessages(env, ids.map((deliveryId) => ({ type: "webhook.deliver", deliveryId, requestId: body.requestId })));
    if (ids.length === DUE_PAGE) await sendWebhookMessages(env, [body], 1);
    return;
  }
  const started = Date.now();
  const outcome = await attemptDelivery(env, body.deliveryId, options);
  const fields = { deliveryId: body.deliveryId, outcome: outcome.kind, durationMs: Date.now() - started };
  if (outcome.kind === "busy") {
    // The endpoint has its fill of attempts in flight: look again in a few seconds (jittered).
    await sendWebhookMessages(env, [body], 2 + Math.floor(Math.random() * 4));
  } else if (outcome.kind === "retry") {
    const delaySeconds = Math.ceil((outcome.nextAttemptAt - (options.now ?? Date.now())) / 1000);
    // Past the queue's longest delay the scheduled sweep sends it when due.
    if (delaySeconds <= MAX_QUEUE_DELAY_SECONDS) await sendWebhookMessages(env, [body], Math.max(delaySeconds, 1));
    log.info("webhook attempt failed", { ...fields, statusCode: outcome.statusCode, error: outcome.error, delaySeconds });
    return;
  } else if (outcome.kind === "dead") {
    log.warn("webhook delivery dead-lettered", { ...fields, statusCode: outcome.statusCode, error: outcome.error });
    return;
  }
  log.info("webhook message done", fields);
}
