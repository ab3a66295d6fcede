// zlib (RFC 1950/1951) decompression with a hard output cap, for the PDF extractor's FlateDecode
// streams: a few KB of hostile input can inflate to gigabytes, so output is counted while it is
// produced and decompression stops at the cap. fflate's streaming Unzlib runs synchronously in
// workerd, Node and browsers; input is fed in small slices so one push cannot overshoot far.
// The "browser" build: the same code without the Node worker-thread helpers (which import node:module
// and would make the one-file offline verifier depend on it).
import { Unzlib } from "fflate/browser";

/** Input bytes per push: the most one push can emit is ~1032× this (deflate's best ratio). */
const SLICE = 1024;

/** Thrown when the output would exceed the cap or the data is not valid zlib. */
export class InflateError extends Error {
  override readonly name = "InflateError";
}

/** Inflates zlib data `input`; throws InflateError past `maxOutput` bytes or on corrupt data. */
export function inflateBounded(input: Uint8Array, maxOutput: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total > maxOutput) throw new InflateError(`inflates to more than ${maxOutput} bytes`);
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < input.length && !ended; at += SLICE) {
      const end = Math.min(at + SLICE, input.length);
      inflater.push(input.subarray(at, end), end === input.length);
    }
  } catch (error) {
    if (error instanceof InflateError) throw error;
    throw new InflateError(`not valid zlib data (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!ended) throw new InflateError("zlib data ends early");
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
