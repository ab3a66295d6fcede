// One small interface for sending email, two implementations: the local file outbox
// (outbox-sender.ts) and Resend's HTTP API (resend-sender.ts). `mailSender(env)` picks one from
// the settings; with MAIL_TRANSPORT unset it answers null and callers record "mail not configured".
import { SettingError } from "../../../shared/config/settings.ts";
import { originSetting, type OriginEnv } from "../../env.ts";
import { outboxSender } from "./outbox-sender.ts";
import { resendSender } from "./resend-sender.ts";

/** A message to one recipient, with a plain-text and an HTML part. */
export interface MailMessage {
  to: string;
  from: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers: Record<string, string>;
  /** Same key, same message: providers that support it send it once (the outbox server too). */
  idempotencyKey: string;
}

export interface MailSender {
  /** Sends the message; throws MailSendError. */
  send(message: MailMessage): Promise<{ providerMessageId: string }>;
}

/** Why a send failed. `permanent`: retrying the same message cannot succeed (refused address, bad key). */
export class MailSendError extends Error {
  override readonly name = "MailSendError";
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.permanent = permanent;
  }
}

/** Deadline of one call to the mail transport. */
export const MAIL_TIMEOUT_MS = 10_000;

type MailEnv = Pick<OriginEnv, "MAIL_TRANSPORT" | "MAIL_OUTBOX_URL" | "MAIL_OUTBOX_TOKEN" | "MAIL_API_KEY" | "MAIL_FROM">;

/** The configured sender and sender address, or null when MAIL_TRANSPORT is unset. Throws SettingError naming a missing companion setting. */
export function mailSender(env: MailEnv): { sender: MailSender; from: string } | null {
  const transport = originSetting(env, "MAIL_TRANSPORT");
  if (!transport) return null;
  const from = originSetting(env, "MAIL_FROM");
  if (!from) throw new SettingError("MAIL_FROM", `is required when MAIL_TRANSPORT is "${transport}"`);
  if (transport === "outbox") {
    const url = originSetting(env, "MAIL_OUTBOX_URL");
    if (!url) throw new SettingError("MAIL_OUTBOX_URL", 'is required when MAIL_TRANSPORT is "outbox"');
    return { sender: outboxSender(url, originSetting(env, "MAIL_OUTBOX_TOKEN")), from };
  }
  const apiKey = originSetting(env, "MAIL_API_KEY");
  if (!apiKey) throw new SettingError("MAIL_API_KEY", 'is required when MAIL_TRANSPORT is "resend"');
  return { sender: resendSender(apiKey), from };
}
