// Certificates in KV (`cred:<id>:certificate.pdf`, shared/kv-keys.ts): rendered from the
// credential's projection, stored with metadata naming the state drawn (projection version,
// revoked or not), so a reader can tell a certificate that predates a revocation or a re-signing.
import { credentialPageUrl } from "../../../shared/public-urls.ts";
import { kvKeys, type CertificateMetadata, type CredentialProjection } from "../../../shared/kv-keys.ts";
import type { OriginEnv } from "../../env.ts";
import { badgeBase } from "../publication/images.ts";
import { publicBaseUrl } from "../publication/public-url.ts";
import { database } from "../../db/client.ts";
import { credentialLogo } from "../issuer-profile/credential-logo.ts";
import { renderCertificatePdf } from "./render.ts";
import { templateOf } from "./template.ts";

type Env = Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL" | "ORIGIN_BASE_URL" | "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "LIBSQL_TIMEOUT_MS">;

/** The state a certificate of `projection` must show. */
export function certificateMetadata(projection: CredentialProjection): CertificateMetadata {
  return { version: projection.version, revoked: projection.revocation !== undefined };
}

/**
 * Renders the certificate of `projection` (badge base image from isolate memory, KV or a render)
 * with its achievement's template as it is now and the logo the credential was issued with.
 */
export async function renderCertificate(env: Env, projection: CredentialProjection): Promise<Uint8Array> {
  const db = database(env);
  const [template, logo, badgePng] = await Promise.all([
    templateOf(db, projection.achievement.id),
    credentialLogo(db, env, projection.jwt),
    badgeBase(env, projection),
  ]);
  return renderCertificatePdf({
    jwt: projection.jwt,
    verifyUrl: credentialPageUrl(publicBaseUrl(env), projection.id),
    recipientName: projection.recipientName,
    achievementName: projection.achievement.name,
    achievementDescription: projection.achievement.description,
    issuerName: projection.issuer.name,
    issuedAt: projection.issuedAt,
    validFrom: projection.validFrom,
    validUntil: projection.validUntil,
    revocation: projection.revocation,
    badgePng,
    pageSize: template.pageSize,
    accentColor: template.accentColor,
    title: template.title,
    ...(logo ? { logo } : {}),
  });
}

/** Renders and stores the certificate of `projection`; returns the PDF and what it shows. */
export async function publishCertificate(env: Env, projection: CredentialProjection): Promise<{ pdf: Uint8Array; metadata: CertificateMetadata }> {
  const pdf = await renderCertificate(env, projection);
  const metadata = certificateMetadata(projection);
  await env.PROJECTIONS.put(kvKeys.certificatePdf(projection.id), pdf, { metadata });
  return { pdf, metadata };
}

/** Whether KV holds a certificate showing exactly the state of `projection`. */
export async function certificateIsCurrent(env: Env, projection: CredentialProjection): Promise<boolean> {
  const { value, metadata } = await env.PROJECTIONS.getWithMetadata<CertificateMetadata>(kvKeys.certificatePdf(projection.id), "stream");
  await value?.cancel(); // only the metadata is needed
  const want = certificateMetadata(projection);
  return metadata !== null && metadata.version === want.version && metadata.revoked === want.revoked;
}
