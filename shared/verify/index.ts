// Verification facade: what the edge, the CLI and the browser verifier call.
export { verifyCredential } from "./verify-credential.ts";
export { statusFromListJwt, createStatusResolver } from "./status.ts";
export type { StatusListOptions } from "./status.ts";
export { notRevokedDetail, statusAsOf } from "./status-detail.ts";
export { extractCredentialInput, securedCredentialOf, MAX_INPUT_BYTES, MAX_TEXT_INPUT_CHARS } from "./input.ts";
export type { CredentialInput, CredentialInputFormat } from "./input.ts";
export type {
  Check,
  CredentialSummary,
  ProofFormat,
  SecuredCredential,
  StatusAnswer,
  StatusResolver,
  VerificationResult,
  VerificationStatus,
  VerifyCredentialOptions,
} from "./types.ts";
