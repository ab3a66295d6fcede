// Secrets handed to clients (API keys) and how they are compared and stored.
import { randomToken } from "./random-token.ts";

const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
  let out = "";
  for (const b of digest) out += b.toString(16).padStart(2, "0");
  return out;
}

export const API_KEY_PREFIX = "lrl_live_";

/** A new API key: 256 random bits, shown to the client once; only its SHA-256 hash is stored. */
export function newApiKey(): { key: string; prefix: string } {
  const key = API_KEY_PREFIX + randomToken(32);
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 6) };
}

/**
 * Constant-time equality of two secrets of any length: both are hashed first so the comparison
 * runs over equal-length digests and leaks neither content nor length.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ ]+([\x21-\x7e]+)\s*$/i);
  return match?.[1] ?? null;
}
