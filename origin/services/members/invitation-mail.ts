// The console invitation email: the one-time setup link, sent through the same mail sender as the
// recipient notices (services/mail). Sent while the inviter waits (one message, the transport's
// own deadline); when mail is not configured or the send fails, the caller shows the link to the
// inviter instead, so an invitation never depends on mail working.
import type { Logger } from "../../../shared/observability/logger.ts";
import { html } from "../../../shared/html.ts";
import type { OriginEnv } from "../../env.ts";
import { MailSendError, mailSender } from "../mail/sender.ts";
import type { MemberRole } from "../../db/schema/index.ts";

export interface Invitation {
  memberId: string;
  to: string;
  name: string;
  role: MemberRole;
  orgName: string;
  inviterName: string;
  setupUrl: string;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** Subject, plain text and HTML of the invitation. */
export function invitationLetter(i: Invitation): { subject: string; text: string; html: string } {
  const subject = `${i.inviterName} invited you to ${i.orgName} on Laurel`;
  const text = [
    `Hello ${i.name},`,
    "",
    `${i.inviterName} invited you to the Laurel console of ${i.orgName}, as ${i.role}.`,
    "",
    `Set your password here (this link works once, for 24 hours): ${i.setupUrl}`,
    "",
    "If you did not expect this, ignore this email.",
    "",
  ].join("\r\n");
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:24px 12px;background:#f4f5f7;${FONT}">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:28px 24px;color:#1f2328;font-size:16px;line-height:1.5">
<h1 style="margin:0 0 12px;font-size:22px">Hello ${i.name}</h1>
<p style="margin:0 0 8px">${i.inviterName} invited you to the Laurel console of ${i.orgName}, as <strong>${i.role}</strong>.</p>
<p style="margin:20px 0"><a href="${i.setupUrl}" style="display:inline-block;background:#1a56db;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px">Set your password</a></p>
<p style="margin:0 0 8px;font-size:14px;color:#57606a">This link works once, for 24 hours. If you did not expect this, ignore this email.</p>
</div></body></html>`.value;
  return { subject, text, html: body };
}

/** Emails the invitation; false when mail is not configured or the send failed (logged without the address or link). */
export async function sendInvitation(env: OriginEnv, invitation: Invitation, log: Logger): Promise<boolean> {
  let mail: ReturnType<typeof mailSender>;
  try {
    mail = mailSender(env);
  } catch (error) {
    log.warn("invitation not emailed: mail settings incomplete", { error });
    return false;
  }
  if (!mail) return false;
  try {
    await mail.sender.send({
      to: invitation.to,
      from: { name: invitation.orgName, address: mail.from },
      ...invitationLetter(invitation),
      headers: {},
      idempotencyKey: `invitation/${invitation.memberId}`,
    });
    return true;
  } catch (error) {
    if (!(error instanceof MailSendError)) throw error;
    log.warn("invitation not emailed", { memberId: invitation.memberId, error: error.message, permanent: error.permanent });
    return false;
  }
}
