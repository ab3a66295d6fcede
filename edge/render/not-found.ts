// The HTML 404 page for credential URLs that name nothing we know.
import { html } from "./html.ts";
import { renderDocument } from "./layout.ts";

/** A friendly "not found" document; says what may have happened and where to verify instead. */
export function renderNotFoundPage(): string {
  return renderDocument({
    title: "Credential not found · Laurel",
    head: html`<meta name="robots" content="noindex">`,
    body: html`<section class="card" aria-labelledby="nf-title">
  <h1 id="nf-title">Credential not found</h1>
  <p>No credential lives at this address. Check that the link or QR code was copied completely.</p>
  <p>If you have the credential file itself (a badge PNG or a JWT), you can check it on the <a href="/verify">verifier page</a>.</p>
</section>`,
  });
}
