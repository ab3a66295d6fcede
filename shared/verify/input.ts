// Recognises what a verifier was handed: a compact VC-JWT, `{"credential": "<jwt>"}`, a baked PNG
// a baked SVG or a certificate PDF with an embedded `credential.jwt` (docs/api.md "Edge: public verification", `POST /api/v1/verify`; OB 3.0 §5.3 Baked
// Badge). Every branch is linear in the input and bounded:
// text over MAX_TEXT_INPUT_CHARS, SVG over MAX_SVG_CHARS, PDF over MAX_PDF_BYTES and JSON nested deeper than
// MAX_JSON_DEPTH are refused before they are parsed.

import { BakeError, type BakeErrorCode } from "../bake/errors.ts";
import { extractFromPdf, isPdf, MAX_PDF_BYTES } from "../bake/pdf.ts";
import { extractFromPng, isPng, MAX_PNG_BYTES } from "../bake/png.ts";
import { extractFromSvg } from "../bake/svg.ts";
import { MAX_JSON_DEPTH, parseJsonBounded } from "../json-bounded.ts";
import { looksLikeCompactJws } from "../vc-jwt/compact.ts";

/** Where the credential came from. */
export type CredentialInputFormat = "jwt" | "json" | "png" | "svg" | "pdf";

/** Why an input is unusable: its own codes, the bounded JSON parser's and the badge extractors'. */
export type CredentialInputErrorCode = "UNSUPPORTED_INPUT" | "MALFORMED_JWT" | "TOO_LARGE" | "INVALID_JSON" | "JSON_TOO_DEEP" | BakeErrorCode;

/** The extracted compact JWT, or a coded reason the input is unusable. Never thrown. */
export type CredentialInput =
  | { ok: true; jwt: string; format: CredentialInputFormat }
  | { ok: false; code: CredentialInputErrorCode; message: string };

/** Largest textual input considered (JWT, JSON wrapper or SVG), in characters. */
export const MAX_TEXT_INPUT_CHARS = 8 * 1024 * 1024;

/** Largest input of any kind (a baked PNG or a PDF); callers holding a file can refuse bigger ones unread. */
export const MAX_INPUT_BYTES = Math.max(MAX_PNG_BYTES, MAX_PDF_BYTES, MAX_TEXT_INPUT_CHARS);

const utf8 = new TextDecoder("utf-8");

function fromJson(text: string): CredentialInput {
  const parsed = parseJsonBounded(text, MAX_JSON_DEPTH);
  if (!parsed.ok) {
    return { ok: false, code: parsed.code, message: parsed.code === "INVALID_JSON" ? "input is not valid JSON" : `input ${parsed.message}` };
  }
  const jwt = (parsed.value as { credential?: unknown } | null)?.credential;
  if (typeof jwt !== "string") {
    return { ok: false, code: "UNSUPPORTED_INPUT", message: 'JSON input must be {"credential": "<compact JWT>"}' };
  }
  return { ok: true, jwt: jwt.trim(), format: "json" };
}

function fromText(raw: string): CredentialInput {
  if (raw.length > MAX_TEXT_INPUT_CHARS) return { ok: false, code: "TOO_LARGE", message: "input too large" };
  const text = raw.trim();
  if (text.startsWith("{")) return fromJson(text);
  if (text.startsWith("<")) return { ok: true, jwt: extractFromSvg(text), format: "svg" };
  // Anything JWT-shaped goes to the verifier, which names what is wrong with it (alg none, bad
  // base64url, ...) as a failed check: `invalid`, not unusable input.
  if (looksLikeCompactJws(text)) return { ok: true, jwt: text, format: "jwt" };
  if (/^[A-Za-z0-9_=+/.-]+$/.test(text) && text.includes(".")) {
    return { ok: false, code: "MALFORMED_JWT", message: "not a compact JWT: expected 3 dot-separated segments" };
  }
  return { ok: false, code: "UNSUPPORTED_INPUT", message: "not a compact JWT, credential JSON, PNG or SVG badge, or certificate PDF" };
}

/**
 * Extracts the compact VC-JWT from a string or bytes: a compact JWT, `{"credential": jwt}` JSON,
 * a baked PNG (iTXt `openbadgecredential`), a baked SVG or a certificate PDF (embedded file
 * `credential.jwt`). Returns a coded error, never throws.
 */
export function extractCredentialInput(input: string | Uint8Array | ArrayBuffer): CredentialInput {
  try {
    if (typeof input === "string") return fromText(input);
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isPng(bytes)) return { ok: true, jwt: extractFromPng(bytes), format: "png" };
    if (isPdf(bytes)) return { ok: true, jwt: extractFromPdf(bytes), format: "pdf" };
    if (bytes.length > MAX_TEXT_INPUT_CHARS) return { ok: false, code: "TOO_LARGE", message: "input too large" };
    return fromText(utf8.decode(bytes));
  } catch (e) {
    if (e instanceof BakeError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "UNSUPPORTED_INPUT", message: e instanceof Error ? e.message : String(e) };
  }
}
