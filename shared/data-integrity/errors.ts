// The ways a Data Integrity proof can fail to verify, as stable codes plus a sentence.

/** Stable failure codes of `verifyDataIntegrity` (the sentence beside each may change). */
export type DataIntegrityFailureCode =
  | "malformed_document"
  | "malformed_proof"
  | "unsupported_cryptosuite"
  | "unknown_context"
  | "canonicalization_failed"
  | "key_not_found"
  | "invalid_signature";

/** Thrown inside the library; `verifyDataIntegrity` turns it into `{verified: false, code, error}`. */
export class DataIntegrityError extends Error {
  readonly code: DataIntegrityFailureCode;
  constructor(code: DataIntegrityFailureCode, message: string) {
    super(message);
    this.name = "DataIntegrityError";
    this.code = code;
  }
}
