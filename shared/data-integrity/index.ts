// Data Integrity proofs (W3C VC Data Integrity 1.0) with the eddsa-rdfc-2022 cryptosuite
// (W3C Data Integrity EdDSA Cryptosuites 1.0): signing, verifying, Ed25519 Multikeys.
export { signDataIntegrity, type DataIntegritySigningKey } from "./sign.ts";
export { verifyDataIntegrity, type DataIntegrityVerification, type ResolvedVerificationMethod } from "./verify.ts";
export {
  generateEd25519Jwk,
  publicKeyMultibase,
  decodePublicKeyMultibase,
  type Ed25519PrivateJwk,
  type Ed25519PublicJwk,
} from "./ed25519.ts";
export { DATA_INTEGRITY_PROOF, EDDSA_RDFC_2022, type DataIntegrityProof } from "./eddsa-rdfc-2022.ts";
export { DataIntegrityError, type DataIntegrityFailureCode } from "./errors.ts";
export { BUNDLED_CONTEXTS } from "./document-loader.ts";
