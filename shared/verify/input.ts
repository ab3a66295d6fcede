// Recognises what a verifier was handed: a compact VC-JWT, `{"credential": "<jwt>"}`, a JSON
// credential with an embedded Data Integrity `proof` (bare or as `{"credential": {...}}`), a baked
// PNG (carrying either), a baked SVG or a certificate PDF with an embedded `credential.jwt` (docs/api.md "Edge: public verification", `POST /api/v1/verify`; OB 3.0 §5.3 Baked
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

/**
 * The extracted compact JWT, or the credential object with its embedded proof, or a coded reason
 * the input is unusable. Never thrown. `securedCredentialOf` gives what `verifyCredential` takes.
 */
export type CredentialInput =
  | { ok: true; jwt: string; format: CredentialInputFormat }
  | { ok: true; credential: Record<string, unknown>; format: CredentialInputFormat }
  | { ok: false; code: CredentialInputErrorCode; message: string };

/** What to hand `verifyCredential`: the compact JWT or the credential object. */
export function securedCredentialOf(input: Extract<CredentialInput, { ok: true }>): string | Record<string, unknown> {
  return "jwt" in input ? input.jwt : input.credential;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Largest textual input considered (JWT, JSON wrapper or SVG), in characters. */
export const MAX_TEXT_INPUT_CHARS = 8 * 1024 * 1024;

/** Largest input of any kind (a baked PNG or a PDF); callers holding a file can refuse bigger ones unread. */
export const MAX_INPUT_BYTES = Math.max(MAX_PNG_BYTES, MAX_PDF_BYTES, MAX_TEXT_INPUT_CHARS);

const utf8 = new TextDecoder("utf-8");

const JSON_SHAPES = 'JSON input must be a credential with a "proof", or {"credential": "<compact JWT>" | <credential with a "proof">}';

// A credential object carries its proof inline (VC Data Integrity §2.1); `format` is where it came from.
function fromJson(text: string, format: CredentialInputFormat = "json"): CredentialInput {
  const parsed = parseJsonBounded(text, MAX_JSON_DEPTH);
  if (!parsed.ok) {
    return { ok: false, code: parsed.code, message: parsed.code === "INVALID_JSON" ? "input is not valid JSON" : `input ${parsed.message}` };
  }
  const value = parsed.value;
  if (isObject(value) && value.proof !== undefined) return { ok: true, credential: value, format };
  const wrapped = isObject(value) ? value.credential : undefined;
  if (typeof wrapped === "string") return { ok: true, jwt: wrapped.trim(), format };
  if (isObject(wrapped) && wrapped.proof !== undefined) return { ok: true, credential: wrapped, format };
  return { ok: false, code: "UNSUPPORTED_INPUT", message: JSON_SHAPES };
}

// A baked PNG's iTXt holds the compact JWT or, for embedded proofs, the credential JSON (OB 3.0 §5.3.1).
function fromPng(bytes: Uint8Array): CredentialInput {
  const text = extractFromPng(bytes);
  return text.startsWith("{") ? fromJson(text, "png") : { ok: true, jwt: text, format: "png" };
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
 * Extracts the compact VC-JWT or the Data Integrity-secured credential from a string or bytes: a
 * compact JWT, `{"credential": jwt}` JSON, a credential JSON with a `proof` (bare or as
 * `{"credential": {...}}`), a baked PNG (iTXt `openbadgecredential`, either form), a baked SVG or a certificate PDF (embedded file
 * `credential.jwt`). Returns a coded error, never throws.
 */
export function extractCredentialInput(input: string | Uint8Array | ArrayBuffer): CredentialInput {
  try {
    if (typeof input === "string") return fromText(input);
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isPng(bytes)) return fromPng(bytes);
    if (isPdf(bytes)) return { ok: true, jwt: extractFromPdf(bytes), format: "pdf" };
    if (bytes.length > MAX_TEXT_INPUT_CHARS) return { ok: false, code: "TOO_LARGE", message: "input too large" };
    return fromText(utf8.decode(bytes));
  } catch (e) {
    if (e instanceof BakeError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "UNSUPPORTED_INPUT", message: e instanceof Error ? e.message : String(e) };
  }
}
