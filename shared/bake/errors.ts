// The one error type of badge baking and extraction (OB 3.0 §5.3 Baked Badge), and of reading
// the credential embedded in a certificate PDF.

/** Why a badge image could not be baked or read. */
export type BakeErrorCode =
  | "NOT_PNG"
  | "NOT_SVG"
  | "NOT_PDF"
  | "MALFORMED_PDF"
  | "TRUNCATED"
  | "BAD_CRC"
  | "MALFORMED_CHUNK"
  | "NO_CREDENTIAL"
  | "DUPLICATE_CREDENTIAL"
  | "COMPRESSED_CREDENTIAL"
  | "TOO_LARGE"
  | "INVALID_CREDENTIAL_TEXT";

/** Typed error of the bake module; `code` is stable, `message` is for humans (OB 3.0 §5.3). */
export class BakeError extends Error {
  override readonly name = "BakeError";
  readonly code: BakeErrorCode;

  constructor(code: BakeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
