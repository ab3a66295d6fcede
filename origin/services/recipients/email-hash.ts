// The recipient index's key: HMAC-SHA-256 of the normalised email address under a key derived
// from KEY_ENCRYPTION_SECRET (HKDF, its own info string). Keyed, so the index cannot be matched
// against a list of guessed addresses without the secret; the same for every org, so one address
// finds its credentials across orgs. Also signs the values that links carry (unsubscribe).
import { base64url } from "jose";
import { randomToken } from "../../auth/random-token.ts";
import { deriveKey } from "../signing/key-encryption.ts";

const encoder = new TextEncoder();

/** The address as issuance stores it (trimmed, lower-cased: issuance/recipient.ts). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function hmac(secret: string, info: string, value: string): Promise<string> {
  const key = await deriveKey(secret, info, "hmac");
  return base64url.encode(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(value))));
}

/** The recipient index hash of an email address (43 base64url characters). */
export function recipientEmailHash(secret: string, email: string): Promise<string> {
  return hmac(secret, "recipient-index", normaliseEmail(email));
}

/** A keyed hash of a client's network address, for the sign-in form's per-client rate limit. */
export function clientHash(secret: string, client: string): Promise<string> {
  return hmac(secret, "wallet-client", client);
}

/** A signature over a link's parameters (unsubscribe links), so they cannot be forged for another address or org. */
export function linkSignature(secret: string, value: string): Promise<string> {
  return hmac(secret, "recipient-link", value);
}

/** A random token (32 bytes, base64url) and its SHA-256 (what the database stores). */
export async function newToken(): Promise<{ token: string; hash: string }> {
  const token = randomToken(32);
  return { token, hash: await sha256(token) };
}

/** SHA-256 of a token, base64url (tokens are random: no key needed). */
export async function sha256(token: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(token))));
}
