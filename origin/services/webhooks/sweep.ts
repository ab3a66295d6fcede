// The scheduled safety net (origin/scheduled.ts, every minute): deliveries due for longer than the
// queue's grace (their message was lost, never sent, or their retry lies beyond the queue's 12 h
// delay limit) are sent to laurel-webhooks again. A duplicate of a message still on its way is
// harmless: attempts are claimed in the database. Each message carries its event's request id and
// trace (stored with the event), not the sweep's: the attempt continues the story that caused it.
import type { Logger } from "../../../shared/observability/logger.ts";
import { traceCarrier, traceFromCarrier } from "../../../shared/observability/trace-context.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { sendWebhookMessages, type WebhookMessage } from "../../queues/webhooks.ts";
import { dueDeliveries } from "./deliveries.ts";

/** How long past due a delivery is left to its queue message before the sweep sends another. */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 1_000;

/** Re-sends overdue deliveries; returns how many. */
export async function sweepWebhookDeliveries(env: OriginEnv, log: Logger, now = Date.now()): Promise<number> {
  const db = database(env);
  const ids = await dueDeliveries(db, { dueBy: now - SWEEP_GRACE_MS, now, limit: SWEEP_LIMIT });
  if (ids.length === 0) return 0;
  const causes = await db.$client.execute({
    sql: `SELECT d.id, ev.request_id, ev.traceparent, ev.tracestate FROM webhook_deliveries AS d JOIN webhook_events AS ev ON ev.id = d.event_id
          WHERE d.id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(ids)],
  });
  const sweepRequestId = String(log.fields.requestId ?? "sweep");
  const messages = causes.rows.map((r): WebhookMessage => {
    const trace = traceFromCarrier({ traceparent: r.traceparent as string | undefined, tracestate: r.tracestate as string | undefined });
    return { type: "webhook.deliver", deliveryId: String(r.id), requestId: r.request_id == null ? sweepRequestId : String(r.request_id), ...(trace ? { trace: traceCarrier(trace) } : {}) };
  });
  await sendWebhookMessages(env, messages);
  return messages.length;
}
