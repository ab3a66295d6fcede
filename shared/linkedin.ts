// LinkedIn's "Add to profile" deep link for certifications (addtoprofile.linkedin.com):
// https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=…&organizationName=…
// `organizationId` (the numeric LinkedIn company id) would link the issuer's page and logo; we know
// no such id, so we send `organizationName`, which LinkedIn takes as free text.
// Shared by the edge's credential page and the origin's recipient emails.
import type { CredentialProjection } from "./kv-keys.ts";
import { credentialPageUrl } from "./public-urls.ts";

/** UTC year and month (1-12) of an ISO date, or null. */
function yearMonth(iso: string | undefined): { year: number; month: number } | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** The facts LinkedIn's certification form is prefilled with. */
export interface LinkedInCertification {
  name: string;
  organizationName: string;
  issued: string;
  expires?: string;
  certUrl: string;
  certId: string;
}

/** The add-to-profile URL; months are 1-12, dates taken in UTC. */
export function linkedInAddToProfileUrl(c: LinkedInCertification): string {
  const params = new URLSearchParams({ startTask: "CERTIFICATION_NAME", name: c.name, organizationName: c.organizationName });
  const issued = yearMonth(c.issued);
  if (issued) {
    params.set("issueYear", String(issued.year));
    params.set("issueMonth", String(issued.month));
  }
  const expires = yearMonth(c.expires);
  if (expires) {
    params.set("expirationYear", String(expires.year));
    params.set("expirationMonth", String(expires.month));
  }
  params.set("certUrl", c.certUrl);
  params.set("certId", c.certId);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

/**
 * The add-to-profile URL of a stored credential: built from the credential alone (the counting
 * redirect /c/:id/linkedin sends visitors there, so no request input may shape it).
 */
export function linkedInUrlFor(p: CredentialProjection, baseUrl: string): string {
  return linkedInAddToProfileUrl({
    name: p.achievement.name,
    organizationName: p.issuer.name,
    issued: p.validFrom,
    expires: p.validUntil,
    certUrl: credentialPageUrl(baseUrl, p.id),
    certId: p.id,
  });
}
