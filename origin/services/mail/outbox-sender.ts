// The local file outbox (local/mail-outbox): the composed RFC 5322 message is POSTed to
// `<MAIL_OUTBOX_URL>/messages`, which writes it as a .eml file. An operator-configured local URL,
// not a customer's: a plain fetch with a deadline (no SSRF rules apply to our own outbox).
import { composeRfc5322 } from "./compose.ts";
import { MAIL_TIMEOUT_MS, MailSendError, type MailMessage, type MailSender } from "./sender.ts";

/** A sender that writes to the outbox server at `baseUrl`. */
export function outboxSender(baseUrl: string, token: string | undefined): MailSender {
  const url = `${baseUrl.replace(/\/+$/, "")}/messages`;
  return {
    async send(message: MailMessage) {
      const raw = composeRfc5322(message, "laurel.localhost");
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "message/rfc822",
            "idempotency-key": message.idempotencyKey,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: raw,
          signal: AbortSignal.timeout(MAIL_TIMEOUT_MS),
        });
      } catch (error) {
        throw new MailSendError(`mail outbox unreachable: ${error instanceof Error ? error.name : "error"}`, false);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new MailSendError(`mail outbox answered ${response.status}`, response.status === 400 || response.status === 401 || response.status === 403);
      }
      const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
      if (typeof body?.id !== "string") throw new MailSendError("mail outbox answered without an id", false);
      return { providerMessageId: body.id };
    },
  };
}
