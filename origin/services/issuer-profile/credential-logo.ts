// Which logo a credential was issued with: its issuer Profile's `image` (OB 3.0 §B.1.20), read
// from the signed VC-JWT the origin itself stored. Emails and certificates show that one, so what
// a recipient sees matches the credential even after the org changes or removes its logo.
import { decodeJwt } from "jose";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { loadLogo, logoDigestOfUrl } from "./logo.ts";

/** The issuer image URL of a stored credential's JWT, or null (none, or a JWT that does not decode). */
export function credentialLogoUrl(jwt: string): string | null {
  try {
    const issuer = decodeJwt(jwt).issuer as { image?: { id?: unknown } } | string | undefined;
    const id = typeof issuer === "object" ? issuer.image?.id : undefined;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** The image bytes of the logo a credential was issued with, when it is one of ours; null otherwise. */
export async function credentialLogo(db: Database, env: Pick<OriginEnv, "ORIGIN_BASE_URL">, jwt: string) {
  const url = credentialLogoUrl(jwt);
  const digest = url ? logoDigestOfUrl(env, url) : null;
  return digest ? loadLogo(db, digest) : null;
}
