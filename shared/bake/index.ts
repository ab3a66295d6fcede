// Baking credentials into badge images and reading them back (OB 3.0 §5.3).
export { BakeError } from "./errors.ts";
export type { BakeErrorCode } from "./errors.ts";
export { bakePng, extractFromPng, isPng, PNG_CREDENTIAL_KEYWORD, MAX_PNG_BYTES } from "./png.ts";
export { bakeSvg, extractFromSvg, OB_SVG_NAMESPACE, MAX_SVG_CHARS } from "./svg.ts";
export { extractFromPdf, isPdf, MAX_PDF_BYTES, PDF_CREDENTIAL_FILE_NAME } from "./pdf.ts";
export { crc32 } from "./crc32.ts";
