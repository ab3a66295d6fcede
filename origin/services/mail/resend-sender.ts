// Resend's HTTP email API, which works from Workers (a plain HTTPS call):
// `POST https://api.resend.com/emails` with `Authorization: Bearer <key>` and `Idempotency-Key`
// (Resend keeps keys 24 h: the same key does not send twice), body
// `{from, to, subject, html, text, headers}`, answer 200 `{id}`; errors `{statusCode, name, message}`.
// 429 (rate limit), 409 (the same idempotency key still in flight) and 5xx are worth retrying;
// other 4xx (invalid address, unverified domain, bad key) are not.
import { MAIL_TIMEOUT_MS, MailSendError, type MailMessage, type MailSender } from "./sender.ts";

export const RESEND_EMAILS_URL = "https://api.resend.com/emails";

/** The display name quoted as RFC 5322 allows (quotes and backslashes escaped). */
function mailbox(name: string, address: string): string {
  return `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/[\r\n]/g, " ")}" <${address}>`;
}

/** A sender using Resend with `apiKey`. */
export function resendSender(apiKey: string, endpoint = RESEND_EMAILS_URL): MailSender {
  return {
    async send(message: MailMessage) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": message.idempotencyKey },
          body: JSON.stringify({
            from: mailbox(message.from.name, message.from.address),
            to: [message.to],
            subject: message.subject,
            html: message.html,
            text: message.text,
            headers: message.headers,
          }),
          signal: AbortSignal.timeout(MAIL_TIMEOUT_MS),
        });
      } catch (error) {
        throw new MailSendError(`mail provider unreachable: ${error instanceof Error ? error.name : "error"}`, false);
      }
      const body = (await response.json().catch(() => null)) as { id?: unknown; name?: unknown; message?: unknown } | null;
      if (response.ok && typeof body?.id === "string") return { providerMessageId: body.id };
      // The provider's error name only (its message may quote the address).
      const name = typeof body?.name === "string" ? body.name.slice(0, 80) : "unknown_error";
      const transient = response.ok || response.status === 409 || response.status === 429 || response.status >= 500;
      throw new MailSendError(`mail provider answered ${response.status} ${name}`, !transient);
    },
  };
}
