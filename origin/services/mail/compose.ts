// Composes an RFC 5322 message (multipart/alternative: text, then HTML) with mimetext, a
// maintained composer that runs in workerd (its browser build: no Node APIs).
import { createMimeMessage } from "mimetext/browser";
import type { MailMessage } from "./sender.ts";

/** The message as RFC 5322 text (CRLF line ends, base64-encoded parts). */
export function composeRfc5322(message: MailMessage, messageIdDomain: string): string {
  const mime = createMimeMessage();
  mime.setSender({ name: message.from.name, addr: message.from.address });
  mime.setRecipient(message.to);
  mime.setSubject(message.subject);
  mime.setHeader("Message-ID", `<${message.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, ".")}@${messageIdDomain}>`);
  for (const [name, value] of Object.entries(message.headers)) mime.setHeader(name, value);
  mime.addMessage({ contentType: "text/plain", data: message.text });
  mime.addMessage({ contentType: "text/html", data: message.html });
  return mime.asRaw();
}
