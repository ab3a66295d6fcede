// A linear scanner of XML markup (XML 1.0 §2.5-2.8, §3.1): start and end tags with their
// attributes; comments, CDATA, processing instructions and DOCTYPE skipped.
//
// Hand-written rather than a regex or an XML library: baked-badge extraction needs only the tags,
// attacker-controlled SVGs must cost O(length) (the nested-quantifier regex this replaces
// backtracked quadratically), and the scanner ships inside the browser verifier and the
// one-file CLI, where a full XML parser would be dead weight. Every step moves `at` forward and
// every search starts at `at`, so each character is visited a bounded number of times.

import { BakeError } from "./errors.ts";

/** A start tag (`<name ...>` or `<name .../>`) or an end tag (`</name>`), by offsets into the text. */
export interface XmlTag {
  kind: "start" | "end";
  name: string;
  /** Offset of `<`. */
  start: number;
  /** Offset just past `>`. */
  end: number;
  /** Start tags: the text between the name and `>` or `/>` (the attributes). */
  attrStart: number;
  attrEnd: number;
  selfClosing: boolean;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// Name characters are everything but whitespace and the markup delimiters (XML 1.0 §2.3 is
// stricter; telling the difference is not needed to find tags).
function isNameChar(c: number): boolean {
  return !isSpace(c) && c !== 0x3c && c !== 0x3e && c !== 0x2f && c !== 0x3d && c !== 0x22 && c !== 0x27;
}

function malformed(what: string, at: number): BakeError {
  return new BakeError("NOT_SVG", `not well-formed XML: ${what} at character ${at}`);
}

function readName(text: string, at: number): number {
  let i = at;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  return i;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past `terminator` at or after `from`; throws when the construct never closes. */
function past(text: string, terminator: string, from: number, what: string, start: number): number {
  const found = text.indexOf(terminator, from);
  if (found < 0) throw malformed(`unterminated ${what}`, start);
  return found + terminator.length;
}

// `<!DOCTYPE ...>`, whose internal subset `[...]` may itself contain `>` (XML 1.0 §2.8).
function pastDeclaration(text: string, lt: number): number {
  let i = lt + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x3e) return i + 1; // >
    if (c === 0x5b) return past(text, ">", past(text, "]", i + 1, "DOCTYPE subset", lt), "DOCTYPE", lt); // [
    i++;
  }
  throw malformed("unterminated declaration", lt);
}

// Attributes of a start tag: `name = "value"` or `name = 'value'`, whitespace-separated, until
// `>` or `/>` (XML 1.0 §3.1). Calls `onAttribute` with the raw (still escaped) value.
function scanAttributes(
  text: string,
  from: number,
  lt: number,
  onAttribute?: (name: string, rawValue: string) => void,
): { attrEnd: number; end: number; selfClosing: boolean } {
  let i = from;
  for (;;) {
    const spaced = skipSpace(text, i);
    if (spaced >= text.length) throw malformed("unterminated start tag", lt);
    const c = text.charCodeAt(spaced);
    if (c === 0x3e) return { attrEnd: spaced, end: spaced + 1, selfClosing: false };
    if (c === 0x2f) {
      if (text.charCodeAt(spaced + 1) !== 0x3e) throw malformed("'/' not followed by '>'", spaced);
      return { attrEnd: spaced, end: spaced + 2, selfClosing: true };
    }
    if (spaced === i && i !== from) throw malformed("attributes not separated by whitespace", i);
    const nameEnd = readName(text, spaced);
    if (nameEnd === spaced) throw malformed("unexpected character in start tag", spaced);
    const eq = skipSpace(text, nameEnd);
    if (text.charCodeAt(eq) !== 0x3d) throw malformed("attribute without '='", eq);
    const open = skipSpace(text, eq + 1);
    const quote = text[open];
    if (quote !== '"' && quote !== "'") throw malformed("attribute value not quoted", open);
    const close = text.indexOf(quote, open + 1);
    if (close < 0) throw malformed("unterminated attribute value", open);
    onAttribute?.(text.slice(spaced, nameEnd), text.slice(open + 1, close));
    i = close + 1;
  }
}

/**
 * Yields the start and end tags of `text` in document order, in time linear in its length.
 * Throws BakeError NOT_SVG when a tag, comment, CDATA section, processing instruction or
 * declaration never closes or an attribute is malformed. A `<` not starting a name is text.
 */
export function* xmlTags(text: string): Generator<XmlTag> {
  let at = 0;
  for (;;) {
    const lt = text.indexOf("<", at);
    if (lt < 0) return;
    if (text.startsWith("<!--", lt)) at = past(text, "-->", lt + 4, "comment", lt);
    else if (text.startsWith("<![CDATA[", lt)) at = past(text, "]]>", lt + 9, "CDATA section", lt);
    else if (text.startsWith("<?", lt)) at = past(text, "?>", lt + 2, "processing instruction", lt);
    else if (text.startsWith("<!", lt)) at = pastDeclaration(text, lt);
    else if (text.charCodeAt(lt + 1) === 0x2f) {
      const nameEnd = readName(text, lt + 2);
      const close = skipSpace(text, nameEnd);
      if (nameEnd === lt + 2 || text.charCodeAt(close) !== 0x3e) throw malformed("malformed end tag", lt);
      yield { kind: "end", name: text.slice(lt + 2, nameEnd), start: lt, end: close + 1, attrStart: nameEnd, attrEnd: nameEnd, selfClosing: false };
      at = close + 1;
    } else {
      const nameEnd = readName(text, lt + 1);
      if (nameEnd === lt + 1) {
        at = lt + 1;
        continue;
      }
      const { attrEnd, end, selfClosing } = scanAttributes(text, nameEnd, lt);
      yield { kind: "start", name: text.slice(lt + 1, nameEnd), start: lt, end, attrStart: nameEnd, attrEnd, selfClosing };
      at = end;
    }
  }
}

/** The attributes of a start tag found by `xmlTags`, raw values (entities not yet replaced). */
export function tagAttributes(text: string, tag: XmlTag): Map<string, string> {
  const attributes = new Map<string, string>();
  scanAttributes(text, tag.attrStart, tag.start, (name, value) => {
    if (!attributes.has(name)) attributes.set(name, value);
  });
  return attributes;
}
