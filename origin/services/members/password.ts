// Console passwords: PBKDF2-HMAC-SHA-256 with 600,000 iterations (OWASP's figure for it) through
// WebCrypto, native in workerd. Checked here (password.test.ts): workerd accepts 600,000 iterations
// (~150 ms of CPU), while a pure-JS scrypt took ~2 s per hash in workerd, too much for a sign-in.
// The iteration count is stored with each hash, so raising it later re-hashes at the next sign-in.
import { base64url } from "jose";
import { randomToken } from "../../auth/random-token.ts";

export const PBKDF2_ITERATIONS = 600_000;
/** Bounds of a password: long enough to resist guessing, short enough that hashing stays bounded. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
}

/** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`, with a fresh 128-bit salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = new Uint8Array(await derive(password, salt, PBKDF2_ITERATIONS));
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${base64url.encode(salt)}$${base64url.encode(hash)}`;
}

/** True when `password` matches `stored` (compared in constant time); false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== "pbkdf2-sha256") return false;
  const iterations = Number(parts[1]);
  // Only counts this code could have written: a tampered row cannot make a sign-in hash for minutes.
  if (!Number.isInteger(iterations) || iterations < 100_000 || iterations > 2_000_000) return false;
  let salt: Uint8Array, expected: Uint8Array;
  try {
    salt = base64url.decode(parts[2]!);
    expected = base64url.decode(parts[3]!);
  } catch {
    return false;
  }
  if (expected.length !== 32) return false;
  const actual = await derive(password, salt, iterations);
  return crypto.subtle.timingSafeEqual(actual, expected);
}

let decoyHash: Promise<string> | null = null;
/** A hash to verify against when no account matches, so an unknown email costs the same time as a wrong password. */
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomToken(16));
  return decoyHash;
}

/** True when a stored hash uses fewer iterations than today's (re-hash it at the next sign-in). */
export function needsRehash(stored: string): boolean {
  return Number(stored.split("$")[1]) < PBKDF2_ITERATIONS;
}
