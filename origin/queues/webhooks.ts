// Messages on laurel-webhooks. `webhook.due`: look for the org's due deliveries (sent after a
// commit that recorded events) and send one `webhook.deliver` per delivery; `webhook.deliver`: run
// one attempt (services/webhooks/deliver.ts), re-sent with a delay for the next retry.
import type { Logger } from "../../shared/observability/logger.ts";
import type { TraceCarrier } from "../../shared/observability/trace-context.ts";
import type { OriginEnv } from "../env.ts";

export type WebhookMessage =
  | { type: "webhook.due"; orgId: string; requestId: string }
  /** `trace`: set by the sender when the delivery's own trace differs from the sending span's (sweep, retries); else stamped by the producer. */
  | { type: "webhook.deliver"; deliveryId: string; requestId: string; trace?: TraceCarrier };

/** The longest delay Cloudflare Queues accepts; a later retry is left to the scheduled sweep. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

const MAX_SEND_BATCH = 100; // Cloudflare Queues sendBatch limit

/** Sends messages (sendBatch chunks of 100); throws when the queue refuses them. */
export async function sendWebhookMessages(env: Pick<OriginEnv, "WEBHOOKS">, messages: readonly WebhookMessage[], delaySeconds = 0): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_SEND_BATCH) {
    const chunk = messages.slice(i, i + MAX_SEND_BATCH);
    await env.WEBHOOKS.sendBatch(chunk.map((body) => ({ body, ...(delaySeconds > 0 ? { delaySeconds } : {}) })));
  }
}

/**
 * After a commit that may have recorded webhook events for the org: the fast path to their
 * delivery. Never fails the caller: the deliveries are in the database and the scheduled sweep
 * (every minute) sends what a lost message left behind.
 */
export async function kickWebhooks(env: Pick<OriginEnv, "WEBHOOKS">, orgId: string, requestId: string, log: Logger): Promise<void> {
  try {
    await env.WEBHOOKS.send({ type: "webhook.due", orgId, requestId } satisfies WebhookMessage);
  } catch (error) {
    log.warn("webhook queue send failed; the scheduled sweep delivers", { error, orgId });
  }
}
