// Defensive decoding of a JWS Compact Serialization (RFC 7515 §7.1) before any cryptography:
// the shape is checked in one bounded pass, JSON depth before JSON.parse.

import { base64url } from "jose";
import { parseJsonBounded } from "../json-bounded.ts";
import { compactJwsProblem } from "./compact.ts";
import { MAX_JWS_CHARS } from "./constants.ts";

/** Decoded but NOT yet verified protected header and payload of a compact JWS (RFC 7515 §7.1). */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeJsonObject(segment: string, what: string): Record<string, unknown> | string {
  let text: string;
  try {
    text = utf8.decode(base64url.decode(segment));
  } catch {
    return `${what} is not base64url-encoded UTF-8`;
  }
  const parsed = parseJsonBounded(text);
  if (!parsed.ok) return `${what} is not a JSON object (${parsed.message})`;
  const value = parsed.value;
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : `${what} is not a JSON object`;
}

/**
 * Splits and decodes a compact JWS of at most `maxChars` characters into header and payload JSON
 * objects (RFC 7515 §5.2 steps 1-7); returns a reason string instead of throwing on any malformed
 * input. The signature segment is left to jose and may be empty (see compactJwsProblem).
 */
export function decodeCompactJws(jwt: string, maxChars: number = MAX_JWS_CHARS): DecodedJws | string {
  const problem = compactJwsProblem(jwt, maxChars);
  if (problem) return problem;
  const [h, p] = jwt.split(".", 2) as [string, string];
  const header = decodeJsonObject(h, "protected header");
  if (typeof header === "string") return header;
  const payload = decodeJsonObject(p, "payload");
  if (typeof payload === "string") return payload;
  return { header, payload };
}
