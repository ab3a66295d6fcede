// The mail settings (origin/env.ts adds them to the origin's settings): which transport sends
// recipient emails, and its address, key and sender.
import * as z from "zod/mini";

/** MAIL_TRANSPORT: "outbox" (the local file outbox, local/mail-outbox) or "resend" (Resend's HTTP API). Unset: no mail is sent. */
export const mailTransportSetting = z.optional(z.enum(["outbox", "resend"], { error: 'must be "outbox" or "resend"' }));

/** MAIL_OUTBOX_URL: the local mail outbox server's base URL (with MAIL_TRANSPORT=outbox). */
export const mailOutboxUrlSetting = z.optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));

/** MAIL_FROM: the sender address; the display name is the issuing org's name. */
export const mailFromSetting = z.optional(
  z.string().check(z.regex(/^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]+$/, { error: "must be an email address such as notifications@example.edu" })),
);

/** Secrets: MAIL_OUTBOX_TOKEN (bearer token of the local outbox) and MAIL_API_KEY (the provider's API key). */
export const mailSecretSetting = z.optional(z.string());
