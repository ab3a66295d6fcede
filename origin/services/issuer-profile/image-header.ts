// The format and pixel size of an uploaded logo, read from its header before anything decodes it
// (a 256 KB PNG can inflate to gigabytes: the size is checked first). Hand-written rather than a
// general image-size library: two formats, a fixed PNG header and one linear walk over JPEG
// segment headers, each bounded by the bytes given.

export interface ImageHeader {
  contentType: "image/png" | "image/jpeg";
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG (signature, then IHDR) or JPEG (SOI, then the first SOFn segment); null for anything else or a broken header. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes);
  return null;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function pngHeader(bytes: Uint8Array): ImageHeader | null {
  // The first chunk must be IHDR (PNG §5.6): length 13, type "IHDR", width and height.
  if (bytes.length < 33 || u32(bytes, 8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return null;
  return { contentType: "image/png", width: u32(bytes, 16), height: u32(bytes, 20) };
}

/** SOF markers carrying the frame size (ITU T.81 B.2.2): C0-CF except C4 (DHT), C8 (JPG) and CC (DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Uint8Array): ImageHeader | null {
  let at = 2;
  // Each step moves forward by a segment's declared length: at most one step per 4 bytes.
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame header
    const length = u16(bytes, at + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) return null;
      return { contentType: "image/jpeg", height: u16(bytes, at + 5), width: u16(bytes, at + 7) };
    }
    at += 2 + length;
  }
  return null;
}
