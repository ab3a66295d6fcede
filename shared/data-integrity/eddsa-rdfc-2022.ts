// The eddsa-rdfc-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0 §3.3): hand-written
// on top of `jsonld` canonicalization and WebCrypto because its steps are few and exactly
// specified, while Digital Bazaar's cryptosuite stack (jsonld-signatures, ed25519-multikey) brings
// Node-only crypto and network document loaders that the Workers, the browser verifier and the
// CLI bundle would all have to work around. The W3C test vector pins every step (test-vector.test.ts).
import { concatBytes } from "../bytes.ts";
import { canonicalize } from "./canonicalize.ts";
import type { DocumentLoader } from "./document-loader.ts";
import { DataIntegrityError } from "./errors.ts";

export const DATA_INTEGRITY_PROOF = "DataIntegrityProof";
export const EDDSA_RDFC_2022 = "eddsa-rdfc-2022";
export const ASSERTION_METHOD = "assertionMethod";

/** A Data Integrity proof as eddsa-rdfc-2022 writes it (VC Data Integrity §2.1). */
export interface DataIntegrityProof {
  type: "DataIntegrityProof";
  cryptosuite: "eddsa-rdfc-2022";
  created?: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  proofValue: string;
}

/** The proof options without `proofValue`, as they are hashed. */
export type ProofOptions = Omit<DataIntegrityProof, "proofValue">;

/** The intermediate values of §3.3 (exposed for the test vector). */
export interface HashData {
  canonicalDocument: string;
  canonicalProofConfig: string;
  documentHash: Uint8Array;
  proofConfigHash: Uint8Array;
  /** proofConfigHash ‖ documentHash: the bytes that are signed. */
  hashData: Uint8Array<ArrayBuffer>;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * §3.3.3-3.3.5: canonicalize the unsecured document and the proof configuration (the proof
 * options with the document's `@context`), hash each with SHA-256, proof hash first.
 */
export async function hashData(unsecured: { "@context"?: unknown }, options: ProofOptions, documentLoader: DocumentLoader): Promise<HashData> {
  if (unsecured["@context"] === undefined) throw new DataIntegrityError("malformed_document", "the document has no @context");
  const proofConfig = { ...options, "@context": unsecured["@context"] };
  const canonicalProofConfig = await canonicalize(proofConfig, documentLoader);
  const canonicalDocument = await canonicalize(unsecured, documentLoader);
  const proofConfigHash = await sha256(canonicalProofConfig);
  const documentHash = await sha256(canonicalDocument);
  return { canonicalDocument, canonicalProofConfig, documentHash, proofConfigHash, hashData: concatBytes([proofConfigHash, documentHash]) };
}

/** `created` must be an XML Schema dateTime (VC Data Integrity §2.1); Laurel writes UTC seconds. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a `proof` member into proof options + proofValue, or says what is wrong with it. */
export function parseProof(proof: unknown): { options: ProofOptions; proofValue: string } {
  if (Array.isArray(proof)) {
    if (proof.length !== 1) throw new DataIntegrityError("malformed_proof", "only a single proof is supported, not a proof set or chain");
    proof = proof[0];
  }
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) {
    throw new DataIntegrityError("malformed_proof", "proof must be an object");
  }
  const p = proof as Record<string, unknown>;
  if (p.type !== DATA_INTEGRITY_PROOF) throw new DataIntegrityError("unsupported_cryptosuite", `proof.type must be "${DATA_INTEGRITY_PROOF}"`);
  if (p.cryptosuite !== EDDSA_RDFC_2022) throw new DataIntegrityError("unsupported_cryptosuite", `proof.cryptosuite must be "${EDDSA_RDFC_2022}"`);
  if (p.proofPurpose !== ASSERTION_METHOD) throw new DataIntegrityError("malformed_proof", `proof.proofPurpose must be "${ASSERTION_METHOD}"`);
  if (typeof p.verificationMethod !== "string" || p.verificationMethod.length === 0 || p.verificationMethod.length > 2048) {
    throw new DataIntegrityError("malformed_proof", "proof.verificationMethod must be a URL of at most 2048 characters");
  }
  if (typeof p.proofValue !== "string") throw new DataIntegrityError("malformed_proof", "proof.proofValue must be a string");
  if (p.created !== undefined && (typeof p.created !== "string" || !DATE_TIME.test(p.created))) {
    throw new DataIntegrityError("malformed_proof", "proof.created must be an XML Schema dateTime");
  }
  for (const key of ["expires", "domain", "challenge", "previousProof", "nonce"]) {
    if (key in p) throw new DataIntegrityError("malformed_proof", `proof.${key} is not supported`);
  }
  // Every other member takes part in the proof configuration as written (§3.3.4), so it is
  // covered by the signature (an undefined term fails canonicalization in safe mode).
  const { proofValue, ...options } = p;
  return { options: options as unknown as ProofOptions, proofValue: proofValue as string };
}

/**
 * §2.2 Verify Proof, step 1-4's `@context` rule: when the proof carries its own `@context`, the
 * document's must start with it; the document is then hashed with the proof's context list.
 */
export function unsecuredWithProofContext(secured: Record<string, unknown>, options: Record<string, unknown>): Record<string, unknown> {
  const { proof: _proof, ...unsecured } = secured;
  const proofContext = options["@context"];
  if (proofContext === undefined) return unsecured;
  const mine = Array.isArray(secured["@context"]) ? secured["@context"] : [secured["@context"]];
  const theirs = Array.isArray(proofContext) ? proofContext : [proofContext];
  const prefix = theirs.every((c, i) => JSON.stringify(c) === JSON.stringify(mine[i]));
  if (!prefix) throw new DataIntegrityError("malformed_proof", "proof.@context must be the start of the document's @context");
  return { ...unsecured, "@context": proofContext };
}
