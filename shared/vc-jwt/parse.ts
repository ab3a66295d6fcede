// Defensive decoding of a JWS Compact Serialization (RFC 7515 §7.1) before any cryptography.

import { base64url } from "jose";

/** Decoded but NOT yet verified protected header and payload of a compact JWS (RFC 7515 §7.1). */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  if (segment.includes("=")) return null; // JWS uses unpadded base64url (RFC 7515 §2)
  try {
    const value: unknown = JSON.parse(utf8.decode(base64url.decode(segment)));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Splits and decodes a compact JWS into header and payload JSON objects (RFC 7515 §5.2 steps 1-7);
 * returns a reason string instead of throwing on any malformed input.
 */
export function decodeCompactJws(jwt: string): DecodedJws | string {
  const parts = jwt.split(".");
  if (parts.length !== 3) return `expected 3 dot-separated segments, found ${parts.length}`;
  const [h, p, s] = parts as [string, string, string];
  // The base64url decoder rejects bad characters in header and payload; the signature is left to
  // jose. An empty signature (alg "none") passes here so the algorithm check can name the problem.
  if (h.length === 0 || p.length === 0) return "empty header or payload segment";
  if (s.includes("=") || s.includes("+") || s.includes("/")) return "signature is not base64url";
  const header = decodeJsonObject(h);
  if (!header) return "protected header is not a base64url JSON object";
  const payload = decodeJsonObject(p);
  if (!payload) return "payload is not a base64url JSON object";
  return { header, payload };
}
