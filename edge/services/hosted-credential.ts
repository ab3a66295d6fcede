// Which verified credential POST /api/v1/verify saw, when it is one of this deployment's: counted
// as a verification of that credential (edge/README.md "Analytics").
import { credentialIdFrom } from "../../shared/ids.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { localIssuerSlug } from "./issuer-keys.ts";

const URN_UUID = "urn:uuid:";

/**
 * The credential's id (lower-case UUID) when its signature verified against a key of an issuer hosted
 * here (`result.credential` is set only then) and its id is `urn:uuid:<uuid>`; else null. A JWT
 * signed by anyone else cannot make us count a verification of one of our credentials.
 */
export function hostedCredentialId(result: VerificationResult, baseUrl: string): string | null {
  const credential = result.credential;
  if (!credential || localIssuerSlug(credential.issuer.id, baseUrl) === null) return null;
  if (!credential.id.startsWith(URN_UUID)) return null;
  return credentialIdFrom(credential.id.slice(URN_UUID.length));
}
