// The wallet's HTML: one layout, escaped templates (shared/html.ts), no scripts, a style sheet
// served from the origin itself (strict CSP), every control labelled. Phone first: one column.
import { credentialUrls } from "../../shared/public-urls.ts";
import { lcwDeepLink } from "../../shared/lcw.ts";
import { linkedInAddToProfileUrl } from "../../shared/linkedin.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import type { WalletCredential } from "../services/recipients/wallet.ts";

export const WALLET_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:0 0 1rem}
.card h3{margin:0 0 .25rem;font-size:1.1rem}.meta{margin:0 0 .5rem;color:#57606a}
.status{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.875rem;font-weight:600}
.status--active{background:#dafbe1;color:#116329}.status--revoked{background:#ffebe9;color:#a40e26}
.links{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 0;padding:0;list-style:none}
.links a,button{display:inline-block;min-height:44px;padding:.6rem .9rem;border-radius:6px;border:1px solid #d0d7de;background:#fff;color:#0a3069;text-decoration:none;font:inherit;cursor:pointer}
.links a.primary,button.primary{background:#1a56db;border-color:#1a56db;color:#fff}.links a.linkedin{background:#0a66c2;border-color:#0a66c2;color:#fff}
label{display:block;font-weight:600;margin:0 0 .25rem}input[type=email]{width:100%;min-height:44px;padding:.5rem;font:inherit;border:1px solid #57606a;border-radius:6px}
form.inline{display:inline}.note{color:#57606a;font-size:.9rem}header{display:flex;justify-content:space-between;align-items:center;gap:1rem}
fieldset{border:1px solid #d0d7de;border-radius:8px;padding:1rem;background:#fff}legend{font-weight:600}
.choice{display:flex;gap:.5rem;align-items:center;margin:.25rem 0}.choice label{display:inline;font-weight:400;margin:0}`;

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · Laurel wallet</title><link rel="stylesheet" href="/wallet/wallet.css"></head>
<body><main>${body}</main></body></html>`.value;
}

/** GET /wallet: ask for a sign-in link. */
export function signInRequestPage(): string {
  return layout(
    "Your credentials",
    html`<h1>Your credentials</h1>
<p>Enter the email address your credentials were issued to. We will email you a link that signs you in.</p>
<form method="post" action="/wallet">
<label for="email">Email address</label>
<input type="email" id="email" name="email" autocomplete="email" required maxlength="320">
<p><button class="primary" type="submit">Email me a sign-in link</button></p>
</form>`,
  );
}

/** The answer to the sign-in form, whatever the address (it must not reveal whether we know it). */
export function signInRequestedPage(): string {
  return layout(
    "Check your email",
    html`<h1>Check your email</h1>
<p>If we have credentials for this address, we have sent it a sign-in link. It works once, for 30 minutes.</p>
<p><a href="/wallet">Use another address</a></p>`,
  );
}

/** GET /wallet/sign-in: a button that redeems the link (a GET never does: mail scanners open links). */
export function signInConfirmPage(token: string): string {
  return layout(
    "Sign in",
    html`<h1>Sign in to your wallet</h1>
<form method="post" action="/wallet/sign-in">
<input type="hidden" name="token" value="${token}">
<p><button class="primary" type="submit">Open my wallet</button></p>
</form>`,
  );
}

/** A sign-in link that is unknown, used or expired. */
export function signInFailedPage(): string {
  return layout(
    "Link expired",
    html`<h1>This link no longer works</h1>
<p>Sign-in links work once and expire. <a href="/wallet">Ask for a new one</a>.</p>`,
  );
}

function credentialCard(c: WalletCredential, base: string, csrf: string): SafeHtml {
  const urls = credentialUrls(base, c.id);
  const linkedIn = linkedInAddToProfileUrl({
    name: c.achievementName,
    organizationName: c.issuerName,
    issued: c.validFrom,
    expires: c.validUntil ?? undefined,
    certUrl: urls.page,
    certId: c.id,
  });
  const share = `mailto:?${new URLSearchParams({ subject: c.achievementName, body: urls.page }).toString().replaceAll("+", "%20")}`;
  // Each control's accessible name starts with its visible text (WCAG 2.5.3), then names the credential.
  const label = `${c.achievementName} from ${c.issuerName}`;
  return html`<article class="card" aria-label="${label}">
<h3>${c.achievementName}</h3>
<p class="meta">${c.issuerName} · issued ${c.issuedAt.toISOString().slice(0, 10)}</p>
<p><span class="status status--${c.status}">${c.status === "active" ? "Active" : "Revoked"}</span>${c.revocationReason ? html` <span class="note">${c.revocationReason}</span>` : null}</p>
<ul class="links">
<li><a class="primary" href="${urls.page}" aria-label="Verify: ${label}">Verify</a></li>
<li><a class="linkedin" href="${linkedIn}" aria-label="Add to LinkedIn: ${label}">Add to LinkedIn</a></li>
<li><a href="${share}" aria-label="Share: ${label}">Share</a></li>
${c.status === "active" ? html`<li><a href="${lcwDeepLink(urls.walletRequest, c.id)}" aria-label="Add to Learner Credential Wallet: ${label}">Add to Learner Credential Wallet</a></li>` : null}
<li><a href="${urls.json}" download="${c.id}.json" aria-label="JSON-LD: ${label}">JSON-LD</a></li>
<li><a href="${urls.jwt}" aria-label="JWT: ${label}">JWT</a></li>
<li><a href="${urls.badge}" aria-label="Badge: ${label}">Badge</a></li>
<li><a href="${urls.page}/certificate.pdf" aria-label="PDF: ${label}">PDF</a></li>
</ul>
<form class="inline" method="post" action="/wallet/credentials/${c.id}/${c.hidden ? "unhide" : "hide"}">
<input type="hidden" name="csrf" value="${csrf}">
<p><button type="submit" aria-label="${c.hidden ? "Show in my list" : "Hide from my list"}: ${label}">${c.hidden ? "Show in my list" : "Hide from my list"}</button></p>
</form>
</article>`;
}

/** GET /wallet/credentials. */
export function credentialsPage(list: WalletCredential[], base: string, csrf: string, hideName: boolean): string {
  const shown = list.filter((c) => !c.hidden);
  const hidden = list.filter((c) => c.hidden);
  return layout(
    "Your credentials",
    html`<header><h1>Your credentials</h1>
<form method="post" action="/wallet/sign-out"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Sign out</button></form></header>
${shown.length === 0 ? html`<p>No credentials to show.</p>` : shown.map((c) => credentialCard(c, base, csrf))}
${hidden.length > 0 ? html`<h2>Hidden from your list</h2>${hidden.map((c) => credentialCard(c, base, csrf))}` : null}
<h2>Your name on credential pages</h2>
<form method="post" action="/wallet/preferences">
<input type="hidden" name="csrf" value="${csrf}">
<fieldset><legend>Public credential pages show</legend>
<div class="choice"><input type="radio" id="name-shown" name="name" value="shown"${hideName ? "" : html` checked`}><label for="name-shown">My name</label></div>
<div class="choice"><input type="radio" id="name-hidden" name="name" value="hidden"${hideName ? html` checked` : ""}><label for="name-hidden">"Name withheld" instead of my name</label></div>
<p class="note">The signed credential file (JWT, badge, PDF) always contains your name as it was issued: hiding it changes only what the public pages show.</p>
<p><button class="primary" type="submit">Save</button></p>
</fieldset>
</form>`,
  );
}

/** GET /unsubscribe: confirm (a GET never changes anything: mail scanners open links). */
export function unsubscribePage(action: string, orgName: string): string {
  return layout(
    "Unsubscribe",
    html`<h1>Stop emails from ${orgName}</h1>
<p>You will no longer receive notification emails about credentials from ${orgName}.</p>
<form method="post" action="${action}"><p><button class="primary" type="submit">Unsubscribe</button></p></form>`,
  );
}

export function unsubscribedPage(orgName: string): string {
  return layout("Unsubscribed", html`<h1>You are unsubscribed</h1><p>${orgName} will no longer email you about your credentials.</p>`);
}

export function linkInvalidPage(): string {
  return layout("Link not valid", html`<h1>This link is not valid</h1><p>Open the link from your email again.</p>`);
}
