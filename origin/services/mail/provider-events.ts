// Resend's email events (webhooks signed the Svix way, which is the Standard Webhooks scheme under
// `svix-` header names): verified with the `standardwebhooks` library (signature over
// `<id>.<timestamp>.<body>`, timestamps more than 5 minutes off refused, so a replayed old event
// fails), then a bounce or complaint is recorded on the notification whose sent message it was
// (matched by the provider message id stored when it was sent).
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { Database } from "../../db/client.ts";

/** The event types that change a notification; others (`email.delivered`, `email.opened`, …) are acknowledged and ignored. */
const OUTCOMES = { "email.bounced": "bounced", "email.complained": "complained" } as const;

export type ProviderEventResult = { ok: false; reason: string } | { ok: true; recorded: number; type: string };

/** Checks the signature of a Resend webhook; the parsed event, or why it is refused. */
export function verifyResendEvent(secret: string, body: string, headers: Headers): { ok: true; event: unknown } | { ok: false; reason: string } {
  const id = headers.get("svix-id");
  const timestamp = headers.get("svix-timestamp");
  const signature = headers.get("svix-signature");
  if (!id || !timestamp || !signature) return { ok: false, reason: "svix-id, svix-timestamp and svix-signature are required" };
  try {
    const event = new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature });
    return { ok: true, event };
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { ok: false, reason: error.message };
    return { ok: false, reason: "the body is not JSON" };
  }
}

/** Records a verified event on the notification it is about; how many notifications changed. */
export async function recordProviderEvent(db: Database, event: unknown): Promise<ProviderEventResult> {
  const e = event as { type?: unknown; data?: { email_id?: unknown; bounce?: { type?: unknown; subType?: unknown } } } | null;
  const type = typeof e?.type === "string" ? e.type : "";
  const outcome = OUTCOMES[type as keyof typeof OUTCOMES];
  const messageId = e?.data?.email_id;
  if (!outcome || typeof messageId !== "string" || messageId.length > 200) return { ok: true, recorded: 0, type };
  const bounce = e?.data?.bounce;
  const detail =
    outcome === "bounced"
      ? ["bounced", typeof bounce?.type === "string" ? bounce.type : "", typeof bounce?.subType === "string" ? bounce.subType : ""].filter(Boolean).join(": ")
      : "the recipient marked it as spam";
  const result = await db.$client.execute({
    sql: "UPDATE notifications SET status = ?, last_error = ? WHERE provider_message_id = ? AND status IN ('sent', 'bounced', 'complained')",
    args: [outcome, detail.slice(0, 300), messageId],
  });
  return { ok: true, recorded: result.rowsAffected, type };
}
