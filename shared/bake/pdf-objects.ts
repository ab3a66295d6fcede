// A small, linear reader of PDF objects (ISO 32000-1 §7.2 lexical conventions, §7.3 objects,
// §7.5.7 object streams), enough to find embedded files. Hand-written on purpose: pdf-lib's parser
// is large, recovers from damage by re-scanning, and has no bounds for hostile input, while this
// runs in the browser verifier and the CLI bundle. Every byte is read a bounded number of times:
// the top level scans forward for `<num> <gen> obj`, object bodies are parsed once with a nesting
// limit, stream data is skipped by its direct /Length or by searching forward for `endstream`.
// Cross-reference tables are not read: objects are taken in file order, a later definition of the
// same number replacing an earlier one (as incremental updates do).
import { BakeError } from "./errors.ts";

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict;
export interface PdfName {
  kind: "name";
  name: string;
}
export interface PdfString {
  kind: "string";
  bytes: Uint8Array;
}
export interface PdfRef {
  kind: "ref";
  num: number;
  gen: number;
}
export interface PdfDict {
  kind: "dict";
  entries: Map<string, PdfValue>;
}
/** An indirect object: its value and, for a stream, the raw (still encoded) data. */
export interface PdfObject {
  value: PdfValue;
  stream?: Uint8Array;
}

/** Limits against hostile documents; past one, reading stops with MALFORMED_PDF. */
export const PDF_LIMITS = { maxDepth: 64, maxObjects: 100_000, maxValues: 1_000_000 } as const;

// Byte classes (§7.2.2): 0 regular, 1 white-space, 2 delimiter. A table, not Sets: the scanner
// looks up every byte of the document.
const CLASS = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[b] = 1;
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = 2;
const isWhitespace = (b: number) => CLASS[b] === 1;
const isRegular = (b: number) => CLASS[b] === 0;
/** Bytes [from, to) as Latin-1 text, at most 256 characters (words longer than that are never meaningful). */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  let text = "";
  for (let i = from, end = Math.min(to, from + 256); i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function malformed(message: string): never {
  throw new BakeError("MALFORMED_PDF", message);
}

const ENDSTREAM = [0x65, 0x6e, 0x64, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d]; // "endstream"

/** First index ≥ from where "endstream" starts, or -1 (a fixed 9-byte pattern: linear). */
function findEndstream(bytes: Uint8Array, from: number): number {
  outer: for (let i = bytes.indexOf(0x65, from); i !== -1 && i + ENDSTREAM.length <= bytes.length; i = bytes.indexOf(0x65, i + 1)) {
    for (let k = 1; k < ENDSTREAM.length; k++) if (bytes[i + k] !== ENDSTREAM[k]) continue outer;
    return i;
  }
  return -1;
}

/** Token-level reader over one byte range; values are parsed with lookahead for `n g R`. */
export class PdfParser {
  pos: number;
  readonly bytes: Uint8Array;
  private values = 0;

  constructor(bytes: Uint8Array, start = 0) {
    this.bytes = bytes;
    this.pos = start;
  }

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (isWhitespace(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The regular-character word at pos (a keyword or number), not consumed; "" at a delimiter. */
  peekWord(): string {
    this.skipSpace();
    return latin1(this.bytes, this.pos, this.wordEnd());
  }

  takeWord(): string {
    this.skipSpace();
    const end = this.wordEnd();
    const word = latin1(this.bytes, this.pos, end);
    this.pos = end;
    return word;
  }

  /** End of the run of regular characters at pos. */
  wordEnd(): number {
    let end = this.pos;
    while (end < this.bytes.length && isRegular(this.bytes[end]!)) end++;
    return end;
  }

  /** Parses one value (§7.3) at pos. */
  value(depth = 0): PdfValue {
    if (depth > PDF_LIMITS.maxDepth) malformed(`objects nested deeper than ${PDF_LIMITS.maxDepth}`);
    if (++this.values > PDF_LIMITS.maxValues) malformed(`more than ${PDF_LIMITS.maxValues} values`);
    this.skipSpace();
    const b = this.bytes;
    if (this.pos >= b.length) malformed("document ends inside an object");
    const c = b[this.pos]!;
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c && b[this.pos + 1] === 0x3c) return this.dict(depth);
    if (c === 0x3c) return this.hexString();
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (b[this.pos] === 0x5d) return this.pos++, items;
        items.push(this.value(depth + 1));
      }
    }
    const word = this.takeWord();
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    const n = Number(word);
    if (word === "" || !Number.isFinite(n)) malformed(`unexpected ${word ? `"${word}"` : `byte 0x${c.toString(16)}`} at offset ${this.pos}`);
    // `num gen R`: look ahead two words without consuming them unless they complete a reference.
    if (/^\d+$/.test(word)) {
      const save = this.pos;
      const gen = this.takeWord();
      if (/^\d+$/.test(gen) && this.takeWord() === "R") return { kind: "ref", num: n, gen: Number(gen) };
      this.pos = save;
    }
    return n;
  }

  private name(): PdfName {
    const b = this.bytes;
    this.pos++;
    const start = this.pos;
    while (this.pos < b.length && isRegular(b[this.pos]!)) this.pos++;
    const raw = latin1(b, start, this.pos);
    return { kind: "name", name: raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
  }

  private dict(depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.pos >= b.length) malformed("document ends inside a dictionary");
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) return (this.pos += 2), { kind: "dict", entries };
      if (b[this.pos] !== 0x2f) malformed(`dictionary key is not a name at offset ${this.pos}`);
      const key = this.name().name;
      entries.set(key, this.value(depth + 1));
    }
  }

  private hexString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let high = -1;
    while (this.pos < b.length && b[this.pos] !== 0x3e) {
      const c = b[this.pos++]!;
      if (isWhitespace(c)) continue;
      const digit = parseInt(String.fromCharCode(c), 16);
      if (Number.isNaN(digit)) malformed(`bad hex string digit at offset ${this.pos - 1}`);
      if (high < 0) high = digit;
      else out.push(high * 16 + digit), (high = -1);
    }
    if (this.pos >= b.length) malformed("unterminated hex string");
    this.pos++;
    if (high >= 0) out.push(high * 16);
    return { kind: "string", bytes: Uint8Array.from(out) };
  }

  private literalString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let open = 1;
    const escapes: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) break;
        if (escapes[e] !== undefined) out.push(escapes[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) open++;
      else if (c === 0x29 && --open === 0) return { kind: "string", bytes: Uint8Array.from(out) };
      out.push(c);
    }
    malformed("unterminated string");
  }

  /**
   * After a stream dictionary: the raw data up to `endstream` (§7.3.8). A direct /Length is used
   * when `endstream` follows it; otherwise (an indirect /Length, or a wrong one) the data ends
   * before the next `endstream`, less the end-of-line that precedes the keyword.
   */
  streamData(dict: PdfDict): Uint8Array {
    const b = this.bytes;
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    const length = dict.entries.get("Length");
    if (typeof length === "number" && Number.isInteger(length) && length >= 0 && start + length <= b.length) {
      this.pos = start + length;
      if (this.peekWord() === "endstream") {
        this.takeWord();
        return b.subarray(start, start + length);
      }
    }
    const end = findEndstream(b, start);
    if (end < 0) malformed("stream without endstream");
    let dataEnd = end;
    if (b[dataEnd - 1] === 0x0a) dataEnd--;
    if (b[dataEnd - 1] === 0x0d) dataEnd--;
    this.pos = end + ENDSTREAM.length;
    return b.subarray(start, Math.max(start, dataEnd));
  }
}

/**
 * Every indirect object of the document body, by object number (the later definition wins).
 * Bytes between objects (header, xref tables, trailers, junk) are skipped word by word.
 */
export function readIndirectObjects(bytes: Uint8Array): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>();
  const p = new PdfParser(bytes);
  // The last two words seen at the top level, when they were unsigned integers: "<num> <gen>" before "obj".
  let prev1: number | null = null;
  let prev2: number | null = null;
  let count = 0;
  while (p.pos < bytes.length) {
    p.skipSpace();
    if (p.pos >= bytes.length) break;
    if (!isRegular(bytes[p.pos]!)) {
      p.pos++;
      prev1 = prev2 = null;
      continue;
    }
    const start = p.pos;
    const end = p.wordEnd();
    p.pos = end;
    const isObj = end - start === 3 && bytes[start] === 0x6f && bytes[start + 1] === 0x62 && bytes[start + 2] === 0x6a;
    if (isObj && prev2 !== null && prev1 !== null) {
      if (++count > PDF_LIMITS.maxObjects) malformed(`more than ${PDF_LIMITS.maxObjects} objects`);
      const num = prev2;
      const value = p.value();
      const object: PdfObject = { value };
      if (p.peekWord() === "stream") {
        if (!isDict(value)) malformed(`stream of object ${num} has no dictionary`);
        p.takeWord();
        object.stream = p.streamData(value);
      }
      if (p.takeWord() !== "endobj") malformed(`object ${num} does not end with endobj`);
      objects.set(num, object);
      prev1 = prev2 = null;
      continue;
    }
    let number: number | null = end - start <= 15 ? 0 : null;
    for (let i = start; number !== null && i < end; i++) number = bytes[i]! >= 0x30 && bytes[i]! <= 0x39 ? number * 10 + bytes[i]! - 0x30 : null;
    prev2 = prev1;
    prev1 = number;
  }
  return objects;
}

/**
 * The objects an object stream (§7.5.7) holds, given its decoded data: `/N` pairs of object
 * number and offset, then the objects from `/First` on.
 */
export function readObjectStream(dict: PdfDict, data: Uint8Array): Map<number, PdfObject> {
  const n = dict.entries.get("N");
  const first = dict.entries.get("First");
  if (typeof n !== "number" || typeof first !== "number" || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || first < 0 || first > data.length) {
    malformed("object stream without valid /N and /First");
  }
  if (n > PDF_LIMITS.maxObjects) malformed(`more than ${PDF_LIMITS.maxObjects} objects`);
  const header = new PdfParser(data.subarray(0, first));
  const entries: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const num = Number(header.takeWord());
    const offset = Number(header.takeWord());
    // Offsets must increase, and each object must end before the next begins (checked below):
    // otherwise one large object listed many times would be parsed many times.
    const previous = entries.at(-1)?.[1] ?? -1;
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(offset) || offset <= previous || first + offset > data.length) malformed("bad object stream header");
    entries.push([num, offset]);
  }
  const body = new PdfParser(data);
  const objects = new Map<number, PdfObject>();
  for (const [i, [num, offset]] of entries.entries()) {
    body.pos = first + offset;
    const value = body.value();
    const next = entries[i + 1];
    if (next && body.pos > first + next[1]) malformed(`object ${num} overlaps the next one in its object stream`);
    objects.set(num, { value });
  }
  return objects;
}

/** Type guards for parsed values. */
export const isDict = (v: PdfValue | undefined): v is PdfDict => typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "dict";
export const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "ref";
export const isName = (v: PdfValue | undefined, name?: string): v is PdfName =>
  typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "name" && (name === undefined || v.name === name);
export const isString = (v: PdfValue | undefined): v is PdfString => typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "string";
