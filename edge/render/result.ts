// The VerificationResult as people read it: a status banner and "How this was verified".
// Shared by the server-rendered pages and the in-browser verifier (/verify), so both say the same.
import { statusAsOf } from "../../shared/verify/status-detail.ts";
import type { Check, VerificationResult, VerificationStatus } from "../../shared/verify/types.ts";
import { formatDate, formatDateTime } from "./dates.ts";
import { html, unsafeRaw, type SafeHtml } from "./html.ts";

type Tone = "ok" | "bad" | "warn" | "muted";

/** Headline and tone of each status; `verified` is only ever said for `valid`. */
export const STATUS_COPY: Record<VerificationStatus, { title: string; tone: Tone }> = {
  valid: { title: "Verified", tone: "ok" },
  revoked: { title: "Revoked", tone: "bad" },
  expired: { title: "Expired", tone: "warn" },
  not_yet_valid: { title: "Not yet valid", tone: "warn" },
  unknown: { title: "Could not be verified", tone: "muted" },
  invalid: { title: "Invalid credential", tone: "bad" },
};

const ICONS: Record<Tone, string> = {
  ok: '<path d="M20 6 9 17l-5-5"/>',
  bad: '<path d="M18 6 6 18M6 6l12 12"/>',
  warn: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  muted: '<circle cx="12" cy="12" r="9"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14M12 17h.01"/>',
};

/** A 24×24 stroke icon for a tone; decorative (the text beside it says the same). */
export function statusIcon(tone: Tone, size = 28): SafeHtml {
  return unsafeRaw(
    `<svg class="icon" aria-hidden="true" focusable="false" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">${ICONS[tone]}</svg>`,
  );
}

/**
 * One sentence explaining the status, with the issuer's reason for a revocation and, for a valid
 * credential, when the status list it was checked against was signed ("not revoked as of …").
 */
export function statusMessage(result: VerificationResult, issuerName?: string): string {
  const c = result.credential;
  const issuer = issuerName || c?.issuer.name || "the issuer";
  switch (result.status) {
    case "valid": {
      const asOf = statusAsOf(result.checks);
      const notRevoked = asOf ? `not revoked as of ${formatDateTime(asOf)}` : "not revoked";
      return `Issued by ${issuer}, signature checked, ${notRevoked} and within its validity period.`;
    }
    case "revoked":
      return `${issuer} revoked this credential. Reason: ${result.reason ?? "not given"}`;
    case "expired":
      return c?.validUntil ? `This credential expired on ${formatDate(c.validUntil)}.` : "This credential has expired.";
    case "not_yet_valid":
      return c?.validFrom ? `This credential becomes valid on ${formatDate(c.validFrom)}.` : "This credential is not valid yet.";
    case "unknown":
      return `Some checks could not be made right now (${result.reason ?? "no details"}). Do not rely on this credential until it verifies.`;
    case "invalid":
      return `This credential failed verification: ${result.reason ?? "see the checks below"}.`;
  }
}

/** The status banner; `data-status` carries the machine-readable status. */
export function renderBanner(result: VerificationResult, issuerName?: string): SafeHtml {
  const copy = STATUS_COPY[result.status];
  return html`<section class="banner banner--${copy.tone}" data-status="${result.status}" aria-label="Verification status">
  ${statusIcon(copy.tone)}
  <div>
    <p class="banner__title">${copy.title}</p>
    <p class="banner__text">${statusMessage(result, issuerName)}</p>
  </div>
</section>`;
}

const CHECK_LABELS: Record<string, string> = {
  size: "Credential size within limits",
  format: "Well-formed signed token (JWS)",
  algorithm: "Allowed signature algorithm",
  type: "Token type",
  header: "No token-supplied keys or unknown extensions",
  key: "Issuer's public key found",
  signature: "Digital signature matches",
  claims: "Token claims match the credential",
  valid_from: "Valid from date reached",
  valid_until: "Not past its expiry date",
  shape: "Open Badges 3.0 credential structure",
  status: "Not revoked (issuer's status list)",
  internal: "Verifier error",
};

/** A readable label for a check name from shared/verify. */
export function checkLabel(name: string): string {
  return CHECK_LABELS[name] ?? name.replaceAll("_", " ");
}

function renderCheck(check: Check): SafeHtml {
  const tone: Tone = check.ok ? "ok" : "bad";
  return html`<li class="check check--${tone}" data-check="${check.name}" data-ok="${String(check.ok)}">
    ${statusIcon(tone, 18)}<span class="visually-hidden">${check.ok ? "Passed:" : "Failed:"}</span>
    <span class="check__name">${checkLabel(check.name)}</span>${check.detail ? html`<span class="check__detail">${check.detail}</span>` : ""}
  </li>`;
}

/** "How this was verified": every check of the result, in the order the verifier ran them. */
export function renderChecks(result: VerificationResult, intro: string): SafeHtml {
  return html`<section class="card checks" aria-labelledby="checks-title">
  <h2 id="checks-title">How this was verified</h2>
  <p class="muted">${intro}</p>
  <ol class="check-list">${result.checks.map(renderCheck)}</ol>
</section>`;
}

/** The verified facts of a credential (VerificationResult.credential), when its signature held. */
export function renderSummary(result: VerificationResult): SafeHtml {
  const c = result.credential;
  if (!c) return html``;
  return html`<section class="card" aria-labelledby="summary-title">
  <p class="hero__eyebrow">Awarded to</p>
  <p class="hero__recipient" data-field="recipient"><strong>${c.recipientName}</strong></p>
  <h2 id="summary-title" data-field="achievement">${c.achievement.name}</h2>
  <dl class="facts">
    <div><dt>Issued by</dt><dd data-field="issuer">${c.issuer.name || c.issuer.id}</dd></div>
    <div><dt>Issuer identifier</dt><dd>${c.issuer.id}</dd></div>
    <div><dt>Valid from</dt><dd>${formatDate(c.validFrom)}</dd></div>
    <div><dt>Expires</dt><dd>${c.validUntil ? formatDate(c.validUntil) : "Does not expire"}</dd></div>
  </dl>
</section>`;
}
