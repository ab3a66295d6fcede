// JSON parsing with a nesting limit checked before JSON.parse (RFC 8259 §9: parsers may limit
// nesting depth). Used for every JSON text a verifier gets from outside: the verify body's
// `{"credential": ...}` wrapper and a JWS's protected header and payload.

/** Deepest nesting of objects and arrays accepted in untrusted JSON; credentials use about 6. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when objects/arrays in `text` nest deeper than `maxDepth`. One linear pass that skips
 * string contents (and their escapes) and stops at the first level past the limit; it does not
 * validate the JSON, JSON.parse does that afterwards on text whose depth is known to be small.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** A parsed JSON value, or why the text was refused. */
export type BoundedJson =
  | { ok: true; value: unknown }
  | { ok: false; code: "JSON_TOO_DEEP" | "INVALID_JSON"; message: string };

/** JSON.parse after the depth pre-scan (RFC 8259); never throws. */
export function parseJsonBounded(text: string, maxDepth: number = MAX_JSON_DEPTH): BoundedJson {
  if (jsonNestsDeeperThan(text, maxDepth)) {
    return { ok: false, code: "JSON_TOO_DEEP", message: `JSON nests deeper than ${maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, code: "INVALID_JSON", message: "not valid JSON" };
  }
}
