// Checking an eddsa-rdfc-2022 proof (vc-di-eddsa §3.3.2 Verify Proof). Resolving and trusting the
// key (which DID, assertionMethod, controller) is the caller's `resolve`; this checks the maths.
import { bundledDocumentLoader, type DocumentLoader } from "./document-loader.ts";
import { decodeProofValue, decodePublicKeyMultibase, verifyEd25519 } from "./ed25519.ts";
import { hashData, parseProof, unsecuredWithProofContext } from "./eddsa-rdfc-2022.ts";
import { DataIntegrityError, type DataIntegrityFailureCode } from "./errors.ts";

/** A verification method as the caller found it (e.g. in the issuer's DID document). */
export interface ResolvedVerificationMethod {
  publicKeyMultibase: string;
  controller: string;
}

export type DataIntegrityVerification =
  | { verified: true; verificationMethod: string; created?: string; controller: string }
  | { verified: false; error: string; code: DataIntegrityFailureCode };

/**
 * Verifies the single eddsa-rdfc-2022 proof of `secured`. `resolve` returns the verification
 * method named by the proof, or null when it is unknown/not trusted for assertions. Never throws.
 */
export async function verifyDataIntegrity(
  secured: unknown,
  resolve: (verificationMethod: string) => Promise<ResolvedVerificationMethod | null>,
  options: { documentLoader?: DocumentLoader } = {},
): Promise<DataIntegrityVerification> {
  try {
    if (typeof secured !== "object" || secured === null || Array.isArray(secured)) {
      throw new DataIntegrityError("malformed_document", "the secured document must be a JSON object");
    }
    const document = secured as Record<string, unknown>;
    if (document.proof === undefined) throw new DataIntegrityError("malformed_proof", "the document has no proof");
    const { options: proofOptions, proofValue } = parseProof(document.proof);
    const signature = decodeProofValue(proofValue);
    if (!signature) throw new DataIntegrityError("malformed_proof", "proof.proofValue must be base58btc multibase (z…) of a 64-byte signature");
    const unsecured = unsecuredWithProofContext(document, proofOptions as unknown as Record<string, unknown>);
    const { "@context": _ctx, ...config } = proofOptions as unknown as Record<string, unknown>;
    const method = await resolve(proofOptions.verificationMethod);
    if (!method) throw new DataIntegrityError("key_not_found", `the verification method ${proofOptions.verificationMethod} is not an assertion key of its controller`);
    const publicKey = decodePublicKeyMultibase(method.publicKeyMultibase);
    if (!publicKey) throw new DataIntegrityError("key_not_found", "the verification method has no Ed25519 publicKeyMultibase");
    const hashes = await hashData(unsecured, config as never, options.documentLoader ?? bundledDocumentLoader);
    if (!(await verifyEd25519(publicKey, signature, hashes.hashData))) {
      throw new DataIntegrityError("invalid_signature", "the Data Integrity signature does not match the document");
    }
    return {
      verified: true,
      verificationMethod: proofOptions.verificationMethod,
      controller: method.controller,
      ...(proofOptions.created ? { created: proofOptions.created } : {}),
    };
  } catch (error) {
    if (error instanceof DataIntegrityError) return { verified: false, code: error.code, error: error.message };
    return { verified: false, code: "malformed_document", error: "the proof could not be checked" };
  }
}
