// Delivers alert events to the operators' webhook (ALERT_WEBHOOK_URL), signed exactly like
// customer webhooks (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature with
// ALERT_WEBHOOK_SECRET, docs/webhooks.md) and sent through the guarded outbound path.
import type { OriginEnv } from "../env.ts";
import { guardedFetch } from "../services/outbound/guarded-fetch.ts";
import { signatureEntry } from "../services/webhooks/secrets.ts";
import type { AlertEvent } from "./alert-state.ts";

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 16 * 1024;

/** Sends one event; `ok` only on a 2xx answer. Without ALERT_WEBHOOK_URL there is nothing to send. */
export async function sendAlertEvent(
  env: Pick<OriginEnv, "ALERT_WEBHOOK_URL" | "ALERT_WEBHOOK_SECRET" | "ALLOW_LOCAL_HTTP_TARGETS">,
  event: AlertEvent,
  now = Date.now(),
): Promise<{ ok: boolean; reason?: string }> {
  if (!env.ALERT_WEBHOOK_URL) return { ok: true };
  if (!env.ALERT_WEBHOOK_SECRET) return { ok: false, reason: "ALERT_WEBHOOK_SECRET is not set: alerts are never sent unsigned" };
  const body = JSON.stringify(event);
  const timestamp = Math.floor(now / 1000);
  const signature = await signatureEntry(env.ALERT_WEBHOOK_SECRET, event.id, timestamp, body);
  const result = await guardedFetch(
    {
      url: env.ALERT_WEBHOOK_URL,
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": event.id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
      body,
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: MAX_ANSWER_BYTES,
    },
    env,
  );
  if (result.kind !== "response") return { ok: false, reason: `${result.kind}: ${result.reason}` };
  return result.status >= 200 && result.status < 300 ? { ok: true } : { ok: false, reason: `answered ${result.status}` };
}
