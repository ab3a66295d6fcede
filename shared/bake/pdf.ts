// Reading the signed credential back from a Laurel certificate PDF: the embedded file
// `credential.jwt` (ISO 32000-1 §7.11.4 embedded file streams; PDF/A-3 associated files).
// Linear and bounded like the PNG and SVG extractors (shared/README.md "Input limits"): a size
// cap, a single forward scan (pdf-objects.ts), bounded inflation of compressed streams, and
// exactly one embedded `credential.jwt`.
import { BakeError } from "./errors.ts";
import { inflateBounded, InflateError } from "./inflate-bounded.ts";
import { isDict, isName, isRef, isString, readIndirectObjects, readObjectStream, type PdfDict, type PdfObject, type PdfValue } from "./pdf-objects.ts";

/** Largest PDF read, in bytes (a certificate is well under 200 KB). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
/** Largest embedded credential, decoded, in bytes. */
export const MAX_PDF_CREDENTIAL_BYTES = 1024 * 1024;
/** Largest total of decoded object streams read from one document, in bytes. */
export const MAX_OBJECT_STREAM_BYTES = 16 * 1024 * 1024;
/** The embedded file that carries the credential. */
export const PDF_CREDENTIAL_FILE_NAME = "credential.jwt";

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** Where the header may start: readers accept leading junk in the first KB (ISO 32000-1 Annex H). */
const HEADER_WINDOW = 1024;

/** Offset of "%PDF-" within the first KB, or -1. */
function headerOffset(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length - PDF_MAGIC.length, HEADER_WINDOW);
  for (let i = 0; i <= limit; i++) if (PDF_MAGIC.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
}

/** Whether `bytes` starts (within its first KB) like a PDF document. */
export function isPdf(bytes: Uint8Array): boolean {
  return headerOffset(bytes) >= 0;
}

/** A PDF text string (§7.9.2.2): UTF-16BE with a byte order mark, else PDFDocEncoding (read as Latin-1). */
function textOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = "";
    for (let i = 2; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return text;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder().decode(bytes.subarray(3));
  return String.fromCharCode(...bytes.subarray(0, 1024));
}

function decodeStream(dict: PdfDict, raw: Uint8Array, maxOutput: number, what: string): Uint8Array {
  const filter = dict.entries.get("Filter");
  const filters = Array.isArray(filter) ? filter : filter === undefined || filter === null ? [] : [filter];
  if (filters.length === 0) {
    if (raw.length > maxOutput) throw new BakeError("TOO_LARGE", `${what} is larger than ${maxOutput} bytes`);
    return raw;
  }
  if (filters.length > 1 || !isName(filters[0], "FlateDecode")) {
    const names = filters.map((f) => (isName(f) ? f.name : "?")).join(", ");
    throw new BakeError("MALFORMED_PDF", `${what} uses an unsupported filter (${names}); only FlateDecode is read`);
  }
  const parms = dict.entries.get("DecodeParms");
  const predictor = isDict(parms) ? parms.entries.get("Predictor") : Array.isArray(parms) && isDict(parms[0]) ? parms[0].entries.get("Predictor") : undefined;
  if (typeof predictor === "number" && predictor > 1) throw new BakeError("MALFORMED_PDF", `${what} uses a FlateDecode predictor, which is not read`);
  try {
    return inflateBounded(raw, maxOutput);
  } catch (error) {
    if (error instanceof InflateError && error.message.startsWith("inflates to more")) throw new BakeError("TOO_LARGE", `${what} ${error.message}`);
    throw new BakeError("MALFORMED_PDF", `${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Adds the objects of every object stream (never replacing an object defined directly). */
function withObjectStreams(objects: Map<number, PdfObject>): Map<number, PdfObject> {
  let budget = MAX_OBJECT_STREAM_BYTES;
  const found = new Map<number, PdfObject>();
  for (const object of objects.values()) {
    if (!object.stream || !isDict(object.value) || !isName(object.value.entries.get("Type"), "ObjStm")) continue;
    const data = decodeStream(object.value, object.stream, budget, "an object stream");
    budget -= data.length;
    for (const [num, inner] of readObjectStream(object.value, data)) if (!objects.has(num)) found.set(num, inner);
  }
  for (const [num, inner] of found) objects.set(num, inner);
  return objects;
}

/** Every dictionary reachable inside `value` without following references (iterative: no recursion limit to hit). */
function* dictionaries(value: PdfValue): Generator<PdfDict> {
  const stack: PdfValue[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (isDict(v)) {
      yield v;
      for (const item of v.entries.values()) stack.push(item);
    }
  }
}

/** The file name of a file specification (§7.11.3): /UF, else /F. */
function fileNameOf(spec: PdfDict): string | null {
  const name = spec.entries.get("UF") ?? spec.entries.get("F");
  return isString(name) ? textOf(name.bytes) : null;
}

/**
 * The compact VC-JWT embedded as `credential.jwt` in a PDF (Laurel certificates and any rewrite
 * of one that keeps its embedded files). Throws BakeError: NOT_PDF, MALFORMED_PDF, TOO_LARGE,
 * NO_CREDENTIAL, DUPLICATE_CREDENTIAL, INVALID_CREDENTIAL_TEXT.
 */
export function extractFromPdf(bytes: Uint8Array): string {
  if (bytes.length > MAX_PDF_BYTES) throw new BakeError("TOO_LARGE", `PDF larger than ${MAX_PDF_BYTES} bytes`);
  if (!isPdf(bytes)) throw new BakeError("NOT_PDF", "not a PDF document (no %PDF- header)");
  const objects = withObjectStreams(readIndirectObjects(bytes));
  // File specifications named credential.jwt, as the embedded stream each points to; one stream
  // referenced from several places (the EmbeddedFiles name tree and /AF) counts once.
  const streams = new Map<string, PdfObject | undefined>();
  for (const object of objects.values()) {
    for (const spec of dictionaries(object.value)) {
      const ef = spec.entries.get("EF");
      if (!isDict(ef) || fileNameOf(spec) !== PDF_CREDENTIAL_FILE_NAME) continue;
      const file = ef.entries.get("F") ?? ef.entries.get("UF");
      if (!isRef(file)) throw new BakeError("MALFORMED_PDF", "the credential.jwt file specification has no embedded file stream");
      streams.set(`${file.num} ${file.gen}`, objects.get(file.num));
    }
  }
  if (streams.size === 0) throw new BakeError("NO_CREDENTIAL", `no embedded file named ${PDF_CREDENTIAL_FILE_NAME}`);
  if (streams.size > 1) throw new BakeError("DUPLICATE_CREDENTIAL", `${streams.size} embedded files named ${PDF_CREDENTIAL_FILE_NAME}`);
  const [stream] = streams.values();
  if (!stream?.stream || !isDict(stream.value)) throw new BakeError("MALFORMED_PDF", "the embedded credential.jwt stream is missing");
  const dict = stream.value;
  let raw = stream.stream;
  // An indirect /Length (the data was cut at `endstream`, less the end-of-line before it): trust it
  // to shorten the data, or to give back at most those 2 bytes when the data itself ends in CR or
  // LF (compressed data may), never to reach past the document's own bytes.
  const length = dict.entries.get("Length");
  if (isRef(length)) {
    const target = objects.get(length.num)?.value;
    const inDocument = raw.buffer === bytes.buffer && raw.byteOffset + (typeof target === "number" ? target : 0) <= bytes.byteOffset + bytes.byteLength;
    if (typeof target === "number" && Number.isInteger(target) && target >= 0 && target <= raw.length + 2 && inDocument) {
      raw = new Uint8Array(raw.buffer, raw.byteOffset, target);
    }
  }
  const data = decodeStream(dict, raw, MAX_PDF_CREDENTIAL_BYTES, "the embedded credential.jwt");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    throw new BakeError("INVALID_CREDENTIAL_TEXT", "the embedded credential.jwt is not UTF-8 text");
  }
  return text.trim();
}
