// Adding an eddsa-rdfc-2022 proof to a JSON-LD document (vc-di-eddsa §3.3.1 Create Proof).
import { bundledDocumentLoader, type DocumentLoader } from "./document-loader.ts";
import { encodeProofValue, signEd25519, type Ed25519PrivateJwk } from "./ed25519.ts";
import { ASSERTION_METHOD, DATA_INTEGRITY_PROOF, DATE_TIME, EDDSA_RDFC_2022, hashData, type DataIntegrityProof, type ProofOptions } from "./eddsa-rdfc-2022.ts";
import { DataIntegrityError } from "./errors.ts";

export interface DataIntegritySigningKey {
  privateJwk: Ed25519PrivateJwk;
  /** The key's id in the issuer's DID document, e.g. "did:web:example.com:issuers:abc#key-2". */
  verificationMethod: string;
}

/** Now, to the second (`2026-11-29T22:10:00Z`): the form the W3C examples use. */
function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `unsecured` plus a `proof` (DataIntegrityProof, eddsa-rdfc-2022, proofPurpose assertionMethod).
 * `unsecured` must not already carry a proof; its every term must be defined by the bundled
 * contexts (otherwise a DataIntegrityError, code `unknown_context` or `canonicalization_failed`).
 */
export async function signDataIntegrity<T extends object>(
  unsecured: T,
  key: DataIntegritySigningKey,
  options: { created?: string; documentLoader?: DocumentLoader } = {},
): Promise<T & { proof: DataIntegrityProof }> {
  if ("proof" in unsecured) throw new DataIntegrityError("malformed_document", "the document already has a proof");
  const created = options.created ?? nowSeconds();
  if (!DATE_TIME.test(created)) throw new DataIntegrityError("malformed_proof", "created must be an XML Schema dateTime");
  const proofOptions: ProofOptions = {
    type: DATA_INTEGRITY_PROOF,
    cryptosuite: EDDSA_RDFC_2022,
    created,
    verificationMethod: key.verificationMethod,
    proofPurpose: ASSERTION_METHOD,
  };
  const hashes = await hashData(unsecured as { "@context"?: unknown }, proofOptions, options.documentLoader ?? bundledDocumentLoader);
  const proofValue = encodeProofValue(await signEd25519(key.privateJwk, hashes.hashData));
  return { ...unsecured, proof: { ...proofOptions, proofValue } };
}
