// Salted recipient identity hashes (OB 3.0 §B.1.12 IdentityObject, IdentityHash derived type).

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** `sha256$<hex>` of UTF-8(identity + salt), as OB 3.0 §B.1.12 defines IdentityHash. */
export async function hashIdentity(identity: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(identity + salt));
  return `sha256$${toHex(new Uint8Array(digest))}`;
}

/** Emails are hashed trimmed and lower-cased so the same address always gives the same hash. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A random 128-bit salt, hex encoded (OB 3.0 §B.1.12 `salt`). */
export function randomSalt(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/** True when `email` hashes to the IdentityObject's `identityHash` with its salt (OB 3.0 §B.1.12). */
export async function emailMatches(
  email: string,
  identity: { identityHash: string; salt?: string },
): Promise<boolean> {
  const expected = await hashIdentity(normalizeEmail(email), identity.salt ?? "");
  return expected === identity.identityHash.toLowerCase();
}
