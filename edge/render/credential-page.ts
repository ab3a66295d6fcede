// The public verification page of one credential (/c/:id): works without JavaScript.
import { lcwDeepLink } from "../../shared/lcw.ts";
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import { badgeImagePath, credentialUrls, issuerDidDocumentUrl } from "../../shared/public-urls.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { formatDate } from "./dates.ts";
import { embedSnippet } from "./embed.ts";
import { html, unsafeRaw, type SafeHtml } from "./html.ts";
import { renderDocument } from "./layout.ts";
import { qrSvg } from "./qr.ts";
import { renderBanner, renderChecks, STATUS_COPY } from "./result.ts";

const SHARE_ICON = unsafeRaw(
  '<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><circle cx="18" cy="5" r="3"/><circle cx="6" cy="12" r="3"/><circle cx="18" cy="19" r="3"/><path d="m8.6 13.5 6.8 4M15.4 6.5l-6.8 4"/></svg>',
);

/** What the page shows: the stored projection and the verification made for this request. */
export interface CredentialPageView {
  projection: CredentialProjection;
  result: VerificationResult;
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

function metaTags(p: CredentialProjection, result: VerificationResult, urls: ReturnType<typeof credentialUrls>): SafeHtml {
  const title = `${p.recipientName}: ${p.achievement.name}`;
  const description = `${p.achievement.name}, issued by ${p.issuer.name} to ${p.recipientName}. ${STATUS_COPY[result.status].title} with Laurel.`;
  const imageAlt = `${p.achievement.name} credential card`;
  return html`<meta name="description" content="${description}">
<link rel="canonical" href="${urls.page}">
<link rel="alternate" type="application/json+oembed" href="${urls.oembed}" title="${title}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="Laurel">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${urls.page}">
<meta property="og:image" content="${urls.card}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="627">
<meta property="og:image:alt" content="${imageAlt}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${description}">
<meta name="twitter:image" content="${urls.card}">
<meta name="twitter:image:alt" content="${imageAlt}">`;
}

function hero(p: CredentialProjection, baseUrl: string): SafeHtml {
  const issuerUrl = safeHttpUrl(p.issuer.url);
  const didUrl = issuerDidDocumentUrl(baseUrl, p.orgSlug);
  return html`<section class="card hero" aria-labelledby="achievement-title">
  <img class="hero__badge" src="${badgeImagePath(p.id)}" alt="Badge: ${p.achievement.name}" width="176" height="176">
  <div>
    <p class="hero__eyebrow">Open Badge awarded to</p>
    <p class="hero__recipient" id="recipient"><strong>${p.recipientName}</strong></p>
    <h1 id="achievement-title">${p.achievement.name}</h1>
    <dl class="facts">
      <div class="facts__wide"><dt>Issued by</dt><dd>${issuerUrl ? html`<a href="${issuerUrl}" rel="noopener">${p.issuer.name}</a>` : p.issuer.name} <a class="facts__aside" href="${didUrl}">issuer keys</a></dd></div>
      <div><dt>Issued on</dt><dd><time datetime="${p.issuedAt}">${formatDate(p.issuedAt)}</time></dd></div>
      ${formatDate(p.validFrom) !== formatDate(p.issuedAt) ? html`<div><dt>Valid from</dt><dd><time datetime="${p.validFrom}">${formatDate(p.validFrom)}</time></dd></div>` : ""}
      <div><dt>Expires</dt><dd>${p.validUntil ? html`<time datetime="${p.validUntil}">${formatDate(p.validUntil)}</time>` : "Never"}</dd></div>
    </dl>
  </div>
</section>`;
}

function about(p: CredentialProjection): SafeHtml {
  return html`<section class="card" aria-labelledby="about-title">
  <h2 id="about-title">About this achievement</h2>
  <p class="prose">${p.achievement.description}</p>
  <h3>Criteria</h3>
  <p class="prose">${p.achievement.criteria}</p>
</section>`;
}

function actions(p: CredentialProjection, result: VerificationResult, urls: ReturnType<typeof credentialUrls>): SafeHtml {
  // Through the edge's counting redirect (a share), which sends the visitor on to linkedInUrlFor(p).
  const linkedIn = urls.linkedin;
  const mail = `mailto:?${new URLSearchParams({ subject: `${p.achievement.name}: ${p.recipientName}`, body: urls.page }).toString().replaceAll("+", "%20")}`;
  const title = `${p.achievement.name}: ${p.recipientName}`;
  return html`<section class="card stack" aria-labelledby="share-title">
  <h2 id="share-title">Share and download</h2>
  <div class="actions">
    ${result.status === "valid" ? html`<a class="btn btn--linkedin" id="linkedin-add" href="${linkedIn}" target="_blank" rel="noopener">Add to LinkedIn profile</a>` : ""}
    ${result.status === "valid" ? html`<a class="btn" id="lcw-add" href="${lcwDeepLink(urls.walletRequest, p.id)}" rel="noopener">Add to Learner Credential Wallet</a>` : ""}
    <a class="btn" id="share" href="${mail}" data-share-url="${urls.page}" data-share-title="${title}">${SHARE_ICON} Share</a>
  </div>
  <label for="page-url" class="label">Link to this page</label>
  <div class="share-url"><input class="field" id="page-url" type="url" readonly value="${urls.page}"><button class="btn" type="button" data-copy="page-url" hidden>Copy</button></div>
  <p class="label" id="downloads-label">Download the credential</p>
  <div class="downloads" role="group" aria-labelledby="downloads-label">
    <a class="btn btn--wide" href="${urls.certificate}" type="application/pdf">Download certificate (PDF)</a>
    <a class="btn" href="${urls.badge}" download="${p.id}.png">Badge PNG</a>
    <a class="btn" href="${urls.jwt}" download="${p.id}.jwt">JWT</a>
    <a class="btn" href="${urls.json}" download="${p.id}.json" title="The credential as JSON-LD with its Data Integrity proof">JSON-LD</a>
  </div>
  <p class="muted">The badge PNG carries the signed credential inside it: anyone can verify it at <a href="/verify">/verify</a> or offline.</p>
</section>`;
}

function qrAndEmbed(p: CredentialProjection, urls: ReturnType<typeof credentialUrls>, baseUrl: string): SafeHtml {
  return html`<section class="card stack" aria-labelledby="qr-title">
  <h2 id="qr-title">QR code and embedding</h2>
  <div class="qr">${qrSvg(urls.page, `QR code linking to ${urls.page}`)}<p class="muted">Scan to open this verification page on a phone, or print it on a certificate.</p></div>
  <details>
    <summary>Embed on a website</summary>
    <div class="stack">
      <label for="embed-code" class="muted">Paste this HTML where the badge should appear:</label>
      <textarea class="field" id="embed-code" readonly rows="4">${embedSnippet(baseUrl, p.id, `${p.achievement.name}: ${p.recipientName}`)}</textarea>
      <button class="btn" type="button" data-copy="embed-code" hidden>Copy embed code</button>
    </div>
  </details>
</section>`;
}

/** The full /c/:id document. */
export function renderCredentialPage(view: CredentialPageView, baseUrl: string): string {
  const p = view.projection;
  const urls = credentialUrls(baseUrl, p.id);
  const body = html`${renderBanner(view.result, p.issuer.name)}
${hero(p, baseUrl)}
${actions(p, view.result, urls)}
${about(p)}
${renderChecks(view.result, "Laurel checked the issuer's signature, the dates and the issuer's revocation list when this page was generated.")}
${qrAndEmbed(p, urls, baseUrl)}`;
  return renderDocument({
    title: `${p.achievement.name}: ${p.recipientName} · Laurel`,
    head: metaTags(p, view.result, urls),
    body,
    scripts: ["/assets/page.js"],
  });
}
