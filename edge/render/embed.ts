// The embeddable widget (/c/:id/embed) and the iframe snippet that embeds it (page and oEmbed).
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import { badgeImagePath, credentialUrls } from "../../shared/public-urls.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { formatDate } from "./dates.ts";
import { html, unsafeRaw } from "./html.ts";
import { STATUS_COPY, statusIcon } from "./result.ts";
import { EMBED_CSS } from "./styles.ts";

/** The widget's iframe size in CSS pixels. */
export const EMBED_SIZE = { width: 400, height: 128 } as const;

/** `<iframe>` markup that embeds the widget; the text sites paste and oEmbed returns. */
export function embedSnippet(baseUrl: string, id: string, title: string, size: { width: number; height: number } = EMBED_SIZE): string {
  const src = credentialUrls(baseUrl, id).embed;
  return html`<iframe src="${src}" title="${title}" width="${size.width}" height="${size.height}" style="border:0;max-width:100%" loading="lazy"></iframe>`.value;
}

/** The widget document: badge, achievement, recipient, issuer, live status, link to the full page. */
export function renderEmbed(view: { projection: CredentialProjection; result: VerificationResult }, baseUrl: string): string {
  const p = view.projection;
  const copy = STATUS_COPY[view.result.status];
  const pageUrl = credentialUrls(baseUrl, p.id).page;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.achievement.name}: ${p.recipientName}</title>
<style>${unsafeRaw(EMBED_CSS)}</style>
</head>
<body>
<main class="widget" data-status="${view.result.status}">
  <img src="${badgeImagePath(p.id)}" alt="${p.achievement.name} badge" width="72" height="72">
  <div>
    <span class="pill pill--${copy.tone}">${statusIcon(copy.tone, 14)}${copy.title}</span>
    <p class="widget__name"><a href="${pageUrl}" target="_blank" rel="noopener">${p.achievement.name}</a></p>
    <p class="widget__meta">${p.recipientName} · ${p.issuer.name}</p>
    <p class="widget__meta">Issued ${formatDate(p.issuedAt)}</p>
  </div>
</main>
</body>
</html>`}`;
}
