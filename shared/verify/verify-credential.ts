// The verification facade: a VC-JWT or a Data Integrity-secured credential in, the contract's
// VerificationResult out, never a throw (VC-JOSE-COSE §3.1.1, RFC 8725, VC Data Integrity 1.0,
// OB 3.0 §8.1, Bitstring Status List v1.0 §3.2).

import { checkCredentialShape } from "../credential/shape.ts";
import { CheckList } from "../vc-jwt/check-list.ts";
import { verifyVcJwt } from "../vc-jwt/verify.ts";
import { checkStatus, resultOf } from "./result.ts";
import type { SecuredCredential, VerificationResult, VerifyCredentialOptions } from "./types.ts";
import { verifyDataIntegrityCredential } from "./verify-data-integrity.ts";

type Obj = Record<string, unknown>;

/**
 * Verifies an OB 3.0 credential secured either way: a compact VC-JWT (a string) or a JSON
 * credential object with an embedded Data Integrity proof (verify-data-integrity.ts). The result's
 * `proof` names the one checked. Never throws.
 */
export async function verifyCredential(secured: SecuredCredential | unknown, opts: VerifyCredentialOptions): Promise<VerificationResult> {
  if (typeof secured === "object" && secured !== null && !Array.isArray(secured)) {
    return verifyDataIntegrityCredential(secured as Obj, opts);
  }
  return verifyVcJwtCredential(secured, opts);
}

/**
 * Verifies an OB 3.0 VC-JWT: size, format, algorithm, type, key, signature, claims, valid_from,
 * valid_until, shape, status, in that order, one `checks` entry each (only those that could run).
 * Status is three-valued: a status list that cannot be checked gives `unknown`, never `valid`.
 */
async function verifyVcJwtCredential(jwt: unknown, opts: VerifyCredentialOptions): Promise<VerificationResult> {
  const list = new CheckList();
  let verifiedPayload: Obj | undefined;
  let signatureVerified = false;
  let revokedReason: string | undefined;
  try {
    const outcome = await verifyVcJwt(jwt, opts, list);
    signatureVerified = outcome.signatureVerified;
    if (outcome.payload) {
      const problem = checkCredentialShape(outcome.payload);
      if (problem) list.fail("shape", "invalid", problem);
      else list.pass("shape", "OB 3.0 OpenBadgeCredential");
      if (!problem && signatureVerified) {
        verifiedPayload = outcome.payload;
        revokedReason = await checkStatus(outcome.payload, opts, list);
      }
    }
  } catch (e) {
    // Defence in depth: every step above already turns bad input into a failed check.
    list.fail("internal", "invalid", `verification error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return resultOf(list, signatureVerified, "vc-jwt", verifiedPayload, revokedReason);
}
