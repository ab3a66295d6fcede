// Notification tests' view of the test run's mail outbox (started by global-setup.ts): the
// environment that sends to it, and the messages it holds for one address.
import { inject } from "vitest";
import type { OriginEnv } from "../env.ts";
import { TEST_MAIL_OUTBOX_TOKEN } from "./mail-outbox-token.ts";

export interface OutboxMessage {
  id: string;
  file: string;
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
}

/** Mail settings that write to the test outbox. */
export function outboxMail(): Pick<OriginEnv, "MAIL_TRANSPORT" | "MAIL_OUTBOX_URL" | "MAIL_OUTBOX_TOKEN" | "MAIL_FROM"> {
  return { MAIL_TRANSPORT: "outbox", MAIL_OUTBOX_URL: inject("mailOutboxUrl"), MAIL_OUTBOX_TOKEN: TEST_MAIL_OUTBOX_TOKEN, MAIL_FROM: "notifications@laurel.test" };
}

/** Messages in the outbox addressed to `address`. */
export async function messagesTo(address: string): Promise<OutboxMessage[]> {
  const res = await fetch(`${inject("mailOutboxUrl")}/messages.json`);
  const all = (await res.json()) as OutboxMessage[];
  return all.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
}

/** A unique recipient address for one test. */
export function uniqueAddress(prefix = "r"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.edu`;
}
