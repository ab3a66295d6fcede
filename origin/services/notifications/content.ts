// The text of recipient emails: issuance and revocation notices, and the wallet sign-in email.
// Each has a plain-text part and an HTML part (inline styles, as mail clients drop style sheets;
// `lang`, image `alt` text, a real link behind every button).
import { html, type SafeHtml } from "../../../shared/html.ts";

export interface Letter {
  subject: string;
  text: string;
  html: string;
}

export interface NoticeFacts {
  orgName: string;
  /** The issuer's logo, when the org has one (an absolute https URL). */
  logoUrl?: string | null;
  recipientName: string;
  achievementName: string;
  verifyUrl: string;
  linkedInUrl: string;
  walletSignInUrl: string;
  unsubscribeUrl: string;
  revocationReason?: string;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function page(title: string, preheader: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;${FONT}">
<div style="display:none;max-height:0;overflow:hidden">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px"><tr><td style="padding:28px 24px;color:#1f2328;font-size:16px;line-height:1.5">
${body}
</td></tr></table>
</td></tr></table>
</body></html>`.value;
}

function button(href: string, label: string, colour = "#1a56db"): SafeHtml {
  return html`<p style="margin:20px 0"><a href="${href}" style="display:inline-block;background:${colour};color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px">${label}</a></p>`;
}

function logo(f: NoticeFacts): SafeHtml | null {
  return f.logoUrl ? html`<p style="margin:0 0 16px"><img src="${f.logoUrl}" alt="${f.orgName} logo" height="48" style="height:48px"></p>` : null;
}

function footer(f: NoticeFacts): SafeHtml {
  return html`<p style="margin:24px 0 0;font-size:13px;color:#57606a">You receive this because ${f.orgName} issued you a credential with Laurel.
<a href="${f.unsubscribeUrl}" style="color:#57606a">Stop emails from ${f.orgName}</a>.</p>`;
}

/** The email telling a recipient their credential was issued. */
export function issuedNotice(f: NoticeFacts): Letter {
  const subject = `${f.orgName} issued you a credential: ${f.achievementName}`;
  const text = [
    `Hello ${f.recipientName},`,
    "",
    `${f.orgName} has issued you a credential: ${f.achievementName}.`,
    "",
    `View, download and share it: ${f.verifyUrl}`,
    `Add it to your LinkedIn profile: ${f.linkedInUrl}`,
    `See all your credentials in your wallet (this sign-in link works once, for 7 days): ${f.walletSignInUrl}`,
    "",
    `Stop emails from ${f.orgName}: ${f.unsubscribeUrl}`,
    "",
  ].join("\r\n");
  const body = html`${logo(f)}<h1 style="margin:0 0 12px;font-size:22px">Congratulations, ${f.recipientName}</h1>
<p style="margin:0 0 8px">${f.orgName} has issued you a credential:</p>
<p style="margin:0 0 8px;font-size:18px;font-weight:600">${f.achievementName}</p>
${button(f.verifyUrl, "View your credential")}
<p style="margin:0 0 8px"><a href="${f.linkedInUrl}" style="color:#0a66c2">Add to your LinkedIn profile</a></p>
<p style="margin:0 0 8px"><a href="${f.walletSignInUrl}" style="color:#1a56db">See all your credentials in your wallet</a> (this sign-in link works once, for 7 days)</p>
${footer(f)}`;
  return { subject, text, html: page(subject, `${f.achievementName}, issued by ${f.orgName}`, body) };
}

/** The email telling a recipient their credential was revoked (with the reason, when there is one). */
export function revokedNotice(f: NoticeFacts): Letter {
  const subject = `${f.orgName} revoked your credential: ${f.achievementName}`;
  const reason = f.revocationReason ? `Reason given: ${f.revocationReason}` : "";
  const text = [
    `Hello ${f.recipientName},`,
    "",
    `${f.orgName} has revoked your credential ${f.achievementName}. It no longer verifies as valid.`,
    ...(reason ? [reason] : []),
    "",
    `Its page: ${f.verifyUrl}`,
    `Your wallet (this sign-in link works once, for 7 days): ${f.walletSignInUrl}`,
    "",
    `Stop emails from ${f.orgName}: ${f.unsubscribeUrl}`,
    "",
  ].join("\r\n");
  const body = html`${logo(f)}<h1 style="margin:0 0 12px;font-size:22px">Your credential was revoked</h1>
<p style="margin:0 0 8px">${f.orgName} has revoked your credential <strong>${f.achievementName}</strong>. It no longer verifies as valid.</p>
${reason ? html`<p style="margin:0 0 8px">${reason}</p>` : null}
${button(f.verifyUrl, "View the credential page", "#57606a")}
<p style="margin:0 0 8px"><a href="${f.walletSignInUrl}" style="color:#1a56db">Open your wallet</a> (this sign-in link works once, for 7 days)</p>
${footer(f)}`;
  return { subject, text, html: page(subject, `${f.achievementName} was revoked`, body) };
}

/** The wallet sign-in email a recipient asked for on /wallet. */
export function signInLetter(signInUrl: string, minutes: number): Letter {
  const subject = "Your Laurel wallet sign-in link";
  const text = [
    "Hello,",
    "",
    `Open this link to see your credentials. It works once, for ${minutes} minutes:`,
    signInUrl,
    "",
    "If you did not ask for it, ignore this email.",
    "",
  ].join("\r\n");
  const body = html`<h1 style="margin:0 0 12px;font-size:22px">Sign in to your wallet</h1>
<p style="margin:0 0 8px">Open your wallet to see your credentials. The link works once, for ${minutes} minutes.</p>
${button(signInUrl, "Open my wallet")}
<p style="margin:0 0 8px;font-size:13px;color:#57606a">If you did not ask for it, ignore this email.</p>`;
  return { subject, text, html: page(subject, "Your wallet sign-in link", body) };
}

