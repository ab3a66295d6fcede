// Baked PNG badges: the VC-JWT in an uncompressed iTXt chunk, keyword `openbadgecredential`
// (OB 3.0 §5.3.1 PNG; PNG spec §5.3 chunk layout, §11.3.4.5 iTXt).

import { concatBytes } from "../bytes.ts";
import { BakeError } from "./errors.ts";
import { crc32 } from "./crc32.ts";

/** The iTXt keyword that carries the credential (OB 3.0 §5.3.1.1). */
export const PNG_CREDENTIAL_KEYWORD = "openbadgecredential";

/** Largest PNG accepted for baking or extraction (32 MiB). */
export const MAX_PNG_BYTES = 32 * 1024 * 1024;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const latin1 = new TextDecoder("latin1");
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const encoder = new TextEncoder();

interface Chunk {
  type: string;
  start: number; // offset of the length field
  dataStart: number;
  dataEnd: number; // offset of the CRC
}

/** True when the bytes start with the PNG signature (PNG spec §5.2). */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

// Walks every chunk up to IEND, checking lengths and CRCs (PNG spec §5.3).
function readChunks(png: Uint8Array): Chunk[] {
  if (png.length > MAX_PNG_BYTES) throw new BakeError("TOO_LARGE", `PNG larger than ${MAX_PNG_BYTES} bytes`);
  if (!isPng(png)) throw new BakeError("NOT_PNG", "not a PNG: signature missing");
  const chunks: Chunk[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > png.length) throw new BakeError("TRUNCATED", `PNG truncated at byte ${at} (no IEND)`);
    const length = readUint32(png, at);
    const type = latin1.decode(png.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new BakeError("MALFORMED_CHUNK", `invalid chunk type at byte ${at}`);
    if (length > 0x7fffffff || at + 12 + length > png.length) {
      throw new BakeError("TRUNCATED", `chunk ${type} at byte ${at} runs past the end of the file`);
    }
    const dataStart = at + 8;
    const dataEnd = dataStart + length;
    if (crc32(png, at + 4, dataEnd) !== readUint32(png, dataEnd)) {
      throw new BakeError("BAD_CRC", `chunk ${type} at byte ${at} has a bad CRC`);
    }
    if (chunks.length === 0 && type !== "IHDR") throw new BakeError("MALFORMED_CHUNK", "first chunk is not IHDR");
    chunks.push({ type, start: at, dataStart, dataEnd });
    at = dataEnd + 4;
    if (type === "IEND") return chunks;
  }
}

// iTXt: keyword \0 compression-flag compression-method language \0 translated-keyword \0 text.
function parseItxt(data: Uint8Array): { keyword: string; compressed: boolean; text: Uint8Array } | null {
  const k = data.indexOf(0);
  if (k < 1 || k > 79 || k + 3 > data.length) return null;
  const keyword = latin1.decode(data.subarray(0, k));
  const compressed = data[k + 1] !== 0;
  const lang = data.indexOf(0, k + 3);
  if (lang < 0) return null;
  const translated = data.indexOf(0, lang + 1);
  if (translated < 0) return null;
  return { keyword, compressed, text: data.subarray(translated + 1) };
}

function credentialChunks(png: Uint8Array, chunks: Chunk[]): { chunk: Chunk; compressed: boolean; text: Uint8Array }[] {
  const found = [];
  for (const chunk of chunks) {
    if (chunk.type !== "iTXt") continue;
    const itxt = parseItxt(png.subarray(chunk.dataStart, chunk.dataEnd));
    if (itxt === null) throw new BakeError("MALFORMED_CHUNK", `malformed iTXt chunk at byte ${chunk.start}`);
    if (itxt.keyword === PNG_CREDENTIAL_KEYWORD) found.push({ chunk, compressed: itxt.compressed, text: itxt.text });
  }
  return found;
}

/**
 * The credential text (a compact VC-JWT) baked into a PNG (OB 3.0 §5.3.1.2). Throws BakeError:
 * NOT_PNG, TRUNCATED, BAD_CRC, MALFORMED_CHUNK, NO_CREDENTIAL, DUPLICATE_CREDENTIAL (the chunk
 * MUST NOT appear twice), COMPRESSED_CREDENTIAL (compression MUST NOT be used), TOO_LARGE.
 */
export function extractFromPng(png: Uint8Array): string {
  const found = credentialChunks(png, readChunks(png));
  if (found.length === 0) throw new BakeError("NO_CREDENTIAL", "PNG has no openbadgecredential iTXt chunk");
  if (found.length > 1) throw new BakeError("DUPLICATE_CREDENTIAL", "PNG has more than one openbadgecredential chunk");
  const [only] = found as [(typeof found)[number]];
  if (only.compressed) throw new BakeError("COMPRESSED_CREDENTIAL", "openbadgecredential chunk is compressed");
  try {
    return utf8Strict.decode(only.text).trim();
  } catch {
    throw new BakeError("INVALID_CREDENTIAL_TEXT", "openbadgecredential text is not UTF-8");
  }
}

function itxtChunk(text: string): Uint8Array {
  const keyword = encoder.encode(PNG_CREDENTIAL_KEYWORD);
  const body = encoder.encode(text);
  // keyword, NUL, compression flag 0, method 0, empty language + NUL, empty translated keyword + NUL.
  const data = new Uint8Array(keyword.length + 5 + body.length);
  data.set(keyword, 0);
  data.set(body, keyword.length + 5);
  return pngChunk("iTXt", data);
}

/** A PNG chunk: length, type, data, CRC over type and data (PNG spec §5.3). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(encoder.encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * Bakes `credential` (the compact VC-JWT) into a PNG as an uncompressed `openbadgecredential` iTXt
 * chunk just before IEND, replacing any existing one (OB 3.0 §5.3.1.1). Throws BakeError on bad PNGs.
 */
export function bakePng(png: Uint8Array, credential: string): Uint8Array<ArrayBuffer> {
  const chunks = readChunks(png);
  const drop = new Set(credentialChunks(png, chunks).map((f) => f.chunk.start));
  const iend = chunks[chunks.length - 1] as Chunk;
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  for (const c of chunks) {
    if (c === iend) parts.push(itxtChunk(credential));
    if (!drop.has(c.start)) parts.push(png.subarray(c.start, c.dataEnd + 4));
  }
  return concatBytes(parts);
}
