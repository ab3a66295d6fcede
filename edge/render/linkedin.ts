// LinkedIn's "Add to profile" deep link for certifications (addtoprofile.linkedin.com):
// https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=…&organizationName=…
// `organizationId` (the numeric LinkedIn company id) would link the issuer's page and logo; we know
// no such id, so we send `organizationName`, which LinkedIn takes as free text.
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import { credentialPageUrl } from "../../shared/public-urls.ts";
import { yearMonth } from "./dates.ts";

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
