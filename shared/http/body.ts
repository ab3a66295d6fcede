// Request bodies, read the one way both Workers read them: the media type of Content-Type, and the
// bytes up to a limit (413 PAYLOAD_TOO_LARGE, RFC 9110 §15.5.14) before anything parses them.
import { readStreamCapped } from "../bytes.ts";
import { AppError } from "./problem.ts";

/**
 * The lower-cased media type of a Content-Type header without its parameters (RFC 9110 §8.3.1),
 * "" when absent. Hand-written: one linear split; callers compare it with the few types they accept,
 * so a full parameter parser (which would also reject what they ignore) buys nothing.
 */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The 413 answer of a body over `maxBytes`. */
export function payloadTooLarge(maxBytes: number): AppError {
  return new AppError(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes} bytes.`);
}

/**
 * Reads the request body, refusing more than `maxBytes` with 413 PAYLOAD_TOO_LARGE: first by a
 * declared Content-Length (one that is not a decimal number is refused too), then by counting the
 * bytes actually received (a chunked or lying request is cut off as soon as it exceeds the limit).
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared.trim()) || Number(declared) > maxBytes)) throw payloadTooLarge(maxBytes);
  return readStreamCapped(request.body, maxBytes, () => payloadTooLarge(maxBytes));
}
