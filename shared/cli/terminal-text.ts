// Makes untrusted text (credential, issuer and achievement names, reasons, URLs, error messages)
// safe to print: terminal control sequences and bidi overrides (Trojan Source, CVE-2021-42574)
// are shown as visible escapes instead of acting on the terminal or reordering the line.

/**
 * C0 and C1 controls and DEL (ANSI escape sequences, carriage returns that overwrite a line, NEL);
 * bidi marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–202E, U+2066–2069);
 * invisible and line-breaking format characters (U+200B, U+2028/9, U+2060–2064, U+206A–206F,
 * U+FEFF, U+FFF9–FFFB); tag characters (U+E0000–E007F); lone surrogates.
 * ZWJ/ZWNJ (U+200C/D) stay: emoji sequences and several scripts need them.
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]/gu;
/** The same without C0 controls: JSON.stringify escapes those in strings, and its newlines are layout. */
const UNSAFE_IN_JSON = new RegExp(UNSAFE.source.replace("\\u0000-\\u001f", ""), "gu");

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, "0");
}

/** `text` with every unsafe character replaced by a visible `\u{XXXX}` escape. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u{${hex(ch.codePointAt(0)!, 4)}}`);
}

/**
 * JSON.stringify output with the same characters escaped as JSON `\uXXXX` sequences (JSON already
 * escapes C0 controls and lone surrogates, not C1 or bidi ones): the parsed value is unchanged.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (ch) =>
    Array.from({ length: ch.length }, (_, i) => `\\u${hex(ch.charCodeAt(i), 4).toLowerCase()}`).join(""),
  );
}
