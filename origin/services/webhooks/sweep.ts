// The scheduled safety net (origin/scheduled.ts, every minute): deliveries due for longer than the
// queue's grace (their message was lost, never sent, or their retry lies beyond the queue's 12 h
// delay limit) are sent to laurel-webhooks again. A duplicate of a message still on its way is
// harmless: attempts are claimed in the database.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { sendWebhookMessages } from "../../queues/webhooks.ts";
import { dueDeliveries } from "./deliveries.ts";

/** How long past due a delivery is left to its queue message before the sweep sends another. */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 1_000;

/** Re-sends overdue deliveries; returns how many. */
export async function sweepWebhookDeliveries(env: OriginEnv, log: Logger, now = Date.now()): Promise<number> {
  const ids = await dueDeliveries(database(env), { dueBy: now - SWEEP_GRACE_MS, now, limit: SWEEP_LIMIT });
  await sendWebhookMessages(env, ids.map((deliveryId) => ({ type: "webhook.deliver", deliveryId, requestId: String(log.fields.requestId ?? "sweep") })));
  return ids.length;
}
