// The shape of a JWS Compact Serialization (RFC 7515 §7.1), checked in one bounded pass before
// anything is decoded (RFC 8725 §3.3-style resource limits on attacker-supplied tokens).

/** Longest protected header accepted, in base64url characters (Laurel's headers are ~200). */
export const MAX_JWS_HEADER_CHARS = 8 * 1024;

function isBase64UrlChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f
  );
}

/**
 * Why `token` is not a compact JWS of at most `maxChars` characters, or null: exactly three
 * dot-separated segments of unpadded base64url (RFC 7515 §2), header and payload non-empty, the
 * header at most MAX_JWS_HEADER_CHARS. The signature may be empty so that an unsecured token
 * (`alg: none`, RFC 7519 §6) reaches the algorithm check and is reported by name.
 */
export function compactJwsProblem(token: string, maxChars: number): string | null {
  if (token.length > maxChars) return `token is ${token.length} characters, limit ${maxChars}`;
  const dots: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (dots.length === 0 && i > MAX_JWS_HEADER_CHARS) return `protected header is over ${MAX_JWS_HEADER_CHARS} characters`;
    if (c === 0x2e) {
      if (dots.push(i) > 2) return "more than 3 dot-separated segments (not a compact JWS)";
    } else if (!isBase64UrlChar(c)) {
      return `character ${i + 1} is not base64url (RFC 7515 §2: no padding, no '+' or '/')`;
    }
  }
  if (dots.length !== 2) return `expected 3 dot-separated segments, found ${dots.length + 1}`;
  const [first, second] = dots as [number, number];
  if (first === 0 || second === first + 1) return "empty header or payload segment";
  return null;
}

/**
 * True when `text` is meant as a compact JWS: only base64url characters, `=`, `+`, `/` and exactly
 * two dots. Such text goes to the verifier, which reports what is wrong with it as a failed check.
 */
export function looksLikeCompactJws(text: string): boolean {
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (++dots > 2) return false;
    } else if (!isBase64UrlChar(c) && c !== 0x3d && c !== 0x2b && c !== 0x2f) {
      return false;
    }
  }
  return dots === 2 && text.indexOf(".") > 0;
}
