// Random values handed out as secrets or one-time tokens: session ids, CSRF tokens, sign-in and
// setup links, API keys, webhook secrets. All come from the Web Crypto CSPRNG.
import { base64url } from "jose";

/** `length` random bytes. */
export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** `length` random bytes, base64url without padding: 32 bytes (256 bits, the default) give 43 characters. */
export function randomToken(length = 32): string {
  return base64url.encode(randomBytes(length));
}
