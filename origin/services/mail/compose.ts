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
  // Base64 parts: names and reasons may be any Unicode, and HTML lines may exceed RFC 5322's 998 octets.
  mime.addMessage({ contentType: "text/plain", charset: "UTF-8", encoding: "base64", data: base64Utf8(message.text) });
  mime.addMessage({ contentType: "text/html", charset: "UTF-8", encoding: "base64", data: base64Utf8(message.html) });
  return mime.asRaw();
}

/** Base64 of the UTF-8 bytes of `text`, in lines of 76 characters (RFC 2045 §6.8). */
function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (btoa(binary).match(/.{1,76}/g) ?? []).join("\r\n");
}
