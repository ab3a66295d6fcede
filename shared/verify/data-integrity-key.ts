// The issuer key a Data Integrity proof names, resolved by the VC-JWT's rules (shared by
// credentials and status lists).
import type { JWK } from "jose";
import { publicKeyMultibase } from "../data-integrity/ed25519.ts";
import { isMultikey } from "../keys/lookup.ts";
import type { IssuerKeyResolver, IssuerKeySet } from "../vc-jwt/verify.ts";

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The issuer's Ed25519 key named by the proof: the verification method must be `<issuer id>#…`
 * (the issuer is its controller) and one of the issuer's assertion keys, resolved exactly as
 * for VC-JWTs (`resolveIssuerKeys`: did:web document's assertionMethod, hosted projections, or
 * trusted files), and it must be a Multikey method's key (`isMultikey`).
 */
export async function findDataIntegrityKey(
  issuerId: string | undefined,
  verificationMethod: string,
  opts: { resolveIssuerKeys: IssuerKeyResolver },
): Promise<{ publicKeyMultibase: string; controller: string } | { outcome: "invalid" | "unknown"; detail: string }> {
  if (!issuerId) return { outcome: "invalid", detail: "issuer id missing" };
  if (!verificationMethod.startsWith(`${issuerId}#`) || verificationMethod.length === issuerId.length + 1) {
    return { outcome: "invalid", detail: `verification method ${verificationMethod} is not a key of issuer ${issuerId}` };
  }
  let resolved: readonly JWK[] | IssuerKeySet | null;
  try {
    resolved = await opts.resolveIssuerKeys(issuerId);
  } catch (e) {
    return { outcome: "unknown", detail: `issuer keys unavailable: ${describe(e)}` };
  }
  if (!resolved) return { outcome: "unknown", detail: `issuer keys unavailable for ${issuerId}` };
  const keys: readonly JWK[] = Array.isArray(resolved) ? resolved : (resolved as IssuerKeySet).keys;
  const jwk = keys.find((k) => k?.kid === verificationMethod);
  if (!jwk) {
    if (!Array.isArray(resolved) && (resolved as IssuerKeySet).revokedKids.includes(verificationMethod)) {
      return { outcome: "invalid", detail: `signing key revoked: ${verificationMethod}` };
    }
    return { outcome: "invalid", detail: `verification method ${verificationMethod} is not among the issuer's assertion keys` };
  }
  // Only the issuer's Multikey methods sign proofs; its VC-JWT keys (even Ed25519 ones) do not.
  if (!isMultikey(jwk)) return { outcome: "invalid", detail: `verification method ${verificationMethod} is not a Multikey (a VC-JWT key cannot sign a Data Integrity proof)` };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    return { outcome: "invalid", detail: `verification method ${verificationMethod} is not an Ed25519 key` };
  }
  try {
    return { publicKeyMultibase: publicKeyMultibase({ kty: "OKP", crv: "Ed25519", x: jwk.x }), controller: issuerId };
  } catch (e) {
    return { outcome: "invalid", detail: describe(e) };
  }
}

