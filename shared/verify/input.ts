// Recognises what a verifier was handed: a compact VC-JWT, `{"credential": "<jwt>"}`, a baked PNG
// or a baked SVG (docs/api.md "Edge: public verification", `POST /api/v1/verify`; OB 3.0 §5.3 Baked Badge).

import { BakeError } from "../bake/errors.ts";
import { extractFromPng, isPng } from "../bake/png.ts";
import { extractFromSvg } from "../bake/svg.ts";

/** Where the credential came from. */
export type CredentialInputFormat = "jwt" | "json" | "png" | "svg";

/** The extracted compact JWT, or a coded reason the input is unusable. Never thrown. */
export type CredentialInput =
  | { ok: true; jwt: string; format: CredentialInputFormat }
  | { ok: false; code: string; message: string };

/** Largest textual input considered (JSON wrapper or SVG), in characters. */
export const MAX_TEXT_INPUT_CHARS = 8 * 1024 * 1024;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder("utf-8");

function fromText(raw: string): CredentialInput {
  if (raw.length > MAX_TEXT_INPUT_CHARS) return { ok: false, code: "TOO_LARGE", message: "input too large" };
  const text = raw.trim();
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, code: "INVALID_JSON", message: "input is not valid JSON" };
    }
    const jwt = (parsed as { credential?: unknown } | null)?.credential;
    if (typeof jwt !== "string") {
      return { ok: false, code: "UNSUPPORTED_INPUT", message: 'JSON input must be {"credential": "<compact JWT>"}' };
    }
    return { ok: true, jwt: jwt.trim(), format: "json" };
  }
  if (text.startsWith("<")) {
    try {
      return { ok: true, jwt: extractFromSvg(text), format: "svg" };
    } catch (e) {
      if (e instanceof BakeError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }
  if (COMPACT_JWS.test(text)) return { ok: true, jwt: text, format: "jwt" };
  return { ok: false, code: "UNSUPPORTED_INPUT", message: "not a compact JWT, credential JSON, PNG or SVG badge" };
}

/**
 * Extracts the compact VC-JWT from a string or bytes: a compact JWT, `{"credential": jwt}` JSON,
 * a baked PNG (iTXt `openbadgecredential`) or a baked SVG. Returns a coded error, never throws.
 */
export function extractCredentialInput(input: string | Uint8Array | ArrayBuffer): CredentialInput {
  try {
    if (typeof input === "string") return fromText(input);
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isPng(bytes)) return { ok: true, jwt: extractFromPng(bytes), format: "png" };
    if (bytes.length > MAX_TEXT_INPUT_CHARS) return { ok: false, code: "TOO_LARGE", message: "input too large" };
    return fromText(utf8.decode(bytes));
  } catch (e) {
    if (e instanceof BakeError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "UNSUPPORTED_INPUT", message: e instanceof Error ? e.message : String(e) };
  }
}
