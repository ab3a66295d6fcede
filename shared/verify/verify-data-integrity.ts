// Verifies an OB 3.0 credential secured with an embedded Data Integrity proof (eddsa-rdfc-2022):
// the same rules as the VC-JWT wherever they apply (issuer key resolution, dates, shape, status).

import { checkCredentialShape, issuerIdOf } from "../credential/shape.ts";
import { verifyDataIntegrity } from "../data-integrity/index.ts";
import { parseProof } from "../data-integrity/eddsa-rdfc-2022.ts";
import { DataIntegrityError } from "../data-integrity/errors.ts";
import { CheckList } from "../vc-jwt/check-list.ts";
import { MAX_CREDENTIAL_JWT_BYTES } from "../vc-jwt/constants.ts";
import { checkDates } from "../vc-jwt/verify.ts";
import { findDataIntegrityKey } from "./data-integrity-key.ts";
import { checkStatus, resultOf } from "./result.ts";
import type { VerificationResult, VerifyCredentialOptions } from "./types.ts";

type Obj = Record<string, unknown>;

/**
 * Largest Data Integrity credential, as JSON text: the VC-JWT's limit. Canonicalization is far
 * costlier per byte than a JWS check, so nothing bigger than a real credential gets that far.
 */
export const MAX_DATA_INTEGRITY_CREDENTIAL_CHARS = MAX_CREDENTIAL_JWT_BYTES;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Checks, in order and one entry each: size, format, proof (DataIntegrityProof / eddsa-rdfc-2022,
 * assertionMethod), key, signature (RDFC-1.0 canonicalization with bundled contexts only),
 * valid_from, valid_until, shape, status. Never throws; `proof: "data-integrity"` in the result.
 */
export async function verifyDataIntegrityCredential(credential: Obj, opts: VerifyCredentialOptions): Promise<VerificationResult> {
  const list = new CheckList();
  let signatureVerified = false;
  let verified: Obj | undefined;
  let revokedReason: string | undefined;
  try {
    const size = JSON.stringify(credential).length;
    if (size > MAX_DATA_INTEGRITY_CREDENTIAL_CHARS) {
      list.fail("size", "invalid", `credential is ${size} characters of JSON, limit ${MAX_DATA_INTEGRITY_CREDENTIAL_CHARS}`);
      return resultOf(list, false, "data-integrity", undefined, undefined);
    }
    list.pass("size");
    list.pass("format", "JSON credential with an embedded proof");
    let verificationMethod: string;
    try {
      verificationMethod = parseProof(credential.proof).options.verificationMethod;
    } catch (e) {
      list.fail("proof", "invalid", e instanceof DataIntegrityError ? e.message : "proof is malformed");
      return resultOf(list, false, "data-integrity", undefined, undefined);
    }
    list.pass("proof", "DataIntegrityProof eddsa-rdfc-2022");
    const key = await findDataIntegrityKey(issuerIdOf(credential.issuer), verificationMethod, opts);
    if ("outcome" in key) {
      list.fail("key", key.outcome, key.detail);
    } else {
      list.pass("key", verificationMethod);
      const outcome = await verifyDataIntegrity(credential, async (vm) => (vm === verificationMethod ? key : null));
      if (outcome.verified) {
        signatureVerified = true;
        list.pass("signature", "eddsa-rdfc-2022");
      } else {
        list.fail("signature", "invalid", `${outcome.error} (${outcome.code})`);
      }
    }
    checkDates(credential, opts, list);
    const problem = checkCredentialShape(credential);
    if (problem) list.fail("shape", "invalid", problem);
    else list.pass("shape", "OB 3.0 OpenBadgeCredential");
    if (!problem && signatureVerified) {
      verified = credential;
      revokedReason = await checkStatus(credential, opts, list);
    }
  } catch (e) {
    // Defence in depth: every step above already turns bad input into a failed check.
    list.fail("internal", "invalid", `verification error: ${describe(e)}`);
  }
  return resultOf(list, signatureVerified, "data-integrity", verified, revokedReason);
}
