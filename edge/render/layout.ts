// The page shell every full page shares: lang, viewport, landmarks (header, main, footer).
import { html, unsafeRaw, type SafeHtml } from "./html.ts";
import { PAGE_CSS } from "./styles.ts";

/** Laurel's mark: a small wreath, decorative. */
export const LOGO = unsafeRaw(
  '<svg aria-hidden="true" focusable="false" width="26" height="26" viewBox="0 0 32 32" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M16 27c-6-1-10-6-10-12 0-3 1-6 3-8"/><path d="M16 27c6-1 10-6 10-12 0-3-1-6-3-8"/><path d="M8 12c2 0 3 1 3 3M7 17c2 0 4 1 4 3M10 22c2-1 4 0 4 2M24 12c-2 0-3 1-3 3M25 17c-2 0-4 1-4 3M22 22c-2-1-4 0-4 2"/></svg>',
);

// The mark on the brand colour, as a data: URL (CSP img-src allows data:), so no /favicon.ico 404.
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1c3d8f"/><g fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"><path d="M16 27c-6-1-10-6-10-12 0-3 1-6 3-8"/><path d="M16 27c6-1 10-6 10-12 0-3-1-6-3-8"/></g></svg>',
)}`;

/** What a page puts in its shell. */
export interface PageParts {
  title: string;
  /** Extra <head> markup (meta tags, links). */
  head?: SafeHtml;
  body: SafeHtml;
  /** Same-origin scripts (module); none keeps the page script-free. */
  scripts?: string[];
}

/** A complete HTML document. */
export function renderDocument(parts: PageParts): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<meta name="theme-color" content="#1c3d8f">
<meta name="color-scheme" content="light">
<link rel="icon" href="${FAVICON}">
${parts.head}
<style>${unsafeRaw(PAGE_CSS)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="brand" href="/verify">${LOGO}<span>Laurel</span></a>
    <nav aria-label="Site"><a href="/verify">Verify a credential</a></nav>
  </div>
</header>
<main id="main">
${parts.body}
</main>
<footer class="site-footer">
  <div class="site-footer__inner">
    <p>Laurel verifies Open Badges 3.0 credentials signed by their issuers. Verification needs no account.</p>
  </div>
</footer>
${(parts.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</body>
</html>`}`;
}
