// The in-browser verifier page (/verify). The checks run in the visitor's browser with the same
// shared/ code as the edge (edge/assets/browser/verify.ts); a service worker keeps it working offline.
import { html } from "./html.ts";
import { renderDocument } from "./layout.ts";

/** The /verify document: an input form and an empty result area the script fills in. */
export function renderVerifyPage(): string {
  return renderDocument({
    title: "Verify a credential · Laurel",
    head: html`<meta name="description" content="Check an Open Badges 3.0 credential (JWT, baked badge PNG or certificate PDF) in your browser.">`,
    body: html`<section class="card stack" aria-labelledby="verify-title">
  <h1 id="verify-title">Verify a credential</h1>
  <p>Paste a credential (a signed JWT) or choose a badge image. The checks run in this browser: nothing you paste is uploaded. After one visit this page also works offline.</p>
  <noscript><p class="banner banner--muted">This verifier needs JavaScript. Without it, open the credential's own link (/c/…), or use the command-line verifier: <code>npx laurel verify badge.png</code>.</p></noscript>
  <form id="verify-form" class="stack" novalidate>
    <label for="jwt-input"><strong>Credential JWT</strong></label>
    <textarea class="field" id="jwt-input" name="jwt" rows="5" spellcheck="false" autocomplete="off" placeholder="eyJhbGciOiJFUzI1NiIs…"></textarea>
    <label class="drop" id="drop-zone" for="file-input">
      <strong>Choose a badge image</strong> <span class="muted">or drop a baked PNG, SVG, certificate PDF or .jwt file here</span>
      <input id="file-input" name="file" type="file" accept="image/png,image/svg+xml,application/pdf,.png,.svg,.pdf,.jwt,.txt,application/json" class="visually-hidden">
    </label>
    <button class="btn btn--primary" type="submit" id="verify-button">Verify</button>
  </form>
  <p class="muted" id="offline-status" aria-live="polite"></p>
</section>
<div id="result" aria-live="polite"></div>`,
    scripts: ["/assets/verify.js"],
  });
}
