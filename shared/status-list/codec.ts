// encodedList <-> bitstring: GZIP then multibase base64url without padding
// (Bitstring Status List v1.0 §2.2 encodedList, §3.3 Generate, §3.4 Expand).

import { base64url } from "jose";
import { readStreamCapped } from "../bytes.ts";

/** Largest bitstring `decodeStatusList` will inflate: guards against zip bombs (16 MiB). */
export const MAX_DECODED_LIST_BYTES = 16 * 1024 * 1024;

/** Minimum uncompressed size, 16 KiB (Bitstring Status List v1.0 §2.2). */
export const MIN_DECODED_LIST_BYTES = 16 * 1024;

/** Thrown when an encodedList is malformed, too small or inflates beyond the cap. */
export class StatusListDecodeError extends Error {
  override readonly name = "StatusListDecodeError";
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzipCapped(bytes: Uint8Array<ArrayBuffer>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const ds = new DecompressionStream("gzip");
  const writer = ds.writable.getWriter();
  // Errors surface on the read side; keep the write side from raising unhandled rejections.
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  try {
    return await readStreamCapped(ds.readable, maxBytes, () => new StatusListDecodeError(`status list inflates beyond ${maxBytes} bytes`));
  } catch (e) {
    if (e instanceof StatusListDecodeError) throw e;
    throw new StatusListDecodeError(`status list is not valid GZIP (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** `u` + base64url(GZIP(bits)), no padding (Bitstring Status List v1.0 §3.3 step 5). */
export async function encodeStatusList(bits: Uint8Array<ArrayBuffer>): Promise<string> {
  if (bits.byteLength < MIN_DECODED_LIST_BYTES) throw new RangeError("status list must be at least 16 KiB");
  return `u${base64url.encode(await gzip(bits))}`;
}

/**
 * Expands an encodedList to its bitstring (Bitstring Status List v1.0 §3.4), rejecting a missing
 * `u` prefix, padding or bad characters, non-GZIP data, lists under 16 KiB and anything inflating
 * past `maxBytes` (default 16 MiB).
 */
export async function decodeStatusList(
  encodedList: string,
  maxBytes: number = MAX_DECODED_LIST_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof encodedList !== "string" || encodedList[0] !== "u") {
    throw new StatusListDecodeError("encodedList must be multibase base64url (prefix 'u')");
  }
  const body = encodedList.slice(1);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new StatusListDecodeError("encodedList is not base64url without padding");
  let compressed: Uint8Array<ArrayBuffer>;
  try {
    compressed = new Uint8Array(base64url.decode(body));
  } catch {
    throw new StatusListDecodeError("encodedList is not base64url");
  }
  const bits = await gunzipCapped(compressed, maxBytes);
  if (bits.byteLength < MIN_DECODED_LIST_BYTES) {
    throw new StatusListDecodeError(`status list is ${bits.byteLength} bytes, minimum ${MIN_DECODED_LIST_BYTES}`);
  }
  return bits;
}
