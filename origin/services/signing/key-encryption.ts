// Private signing keys at rest: AES-256-GCM under a key derived (HKDF-SHA-256, RFC 5869) from
// KEY_ENCRYPTION_SECRET. Each ciphertext is bound to its org and key id as associated data, so a
// ciphertext copied onto another row does not decrypt.
import { base64url } from "jose";
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMAT = "v1";

// One derived key per secret per isolate: HKDF is cheap but not free, and the secret never changes
// within an isolate. Settled keys only, never a promise another request would wait on (the rule
// of shared/cache/ttl-lru.ts); concurrent first uses each derive, a failure is not remembered.
// A few purposes times one secret (two during a secret change): 16 entries hold them all.
const derived = new TtlLru<CryptoKey>(16, Infinity);

/** Derives a purpose-specific key from the Worker secret (RFC 5869); `info` separates purposes. */
export async function deriveKey(secret: string, info: string, usage: "aes-gcm" | "hmac"): Promise<CryptoKey> {
  if (!secret || secret.length < 16) throw new Error("KEY_ENCRYPTION_SECRET is missing or shorter than 16 characters");
  const cacheKey = `${usage}\u0000${info}\u0000${secret}`;
  const hit = derived.get(cacheKey);
  if (hit) return hit;
  const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: encoder.encode("laurel/origin/v1"), info: encoder.encode(info) };
  const key =
    usage === "aes-gcm"
      ? await crypto.subtle.deriveKey(params, ikm, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
      : await crypto.subtle.deriveKey(params, ikm, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
  derived.set(cacheKey, key);
  return key;
}

function aad(orgId: string, kid: string): Uint8Array {
  return encoder.encode(`signing-key\u0000${orgId}\u0000${kid}`);
}

/** Encrypts a private JWK for the `signing_keys.private_jwk_encrypted` column: `v1.<iv>.<ciphertext>`. */
export async function encryptPrivateJwk(secret: string, orgId: string, kid: string, jwk: object): Promise<string> {
  const key = await deriveKey(secret, "signing-key-encryption", "aes-gcm");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(orgId, kid) },
    key,
    encoder.encode(JSON.stringify(jwk)),
  );
  return `${FORMAT}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** Reverses `encryptPrivateJwk`; throws when the secret, org or kid do not match. */
export async function decryptPrivateJwk(secret: string, orgId: string, kid: string, sealed: string): Promise<Record<string, unknown>> {
  const [format, iv, data] = sealed.split(".");
  if (format !== FORMAT || !iv || !data) throw new Error(`unknown encrypted key format for ${kid}`);
  const key = await deriveKey(secret, "signing-key-encryption", "aes-gcm");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64url.decode(iv), additionalData: aad(orgId, kid) },
    key,
    base64url.decode(data),
  );
  return JSON.parse(decoder.decode(plain)) as Record<string, unknown>;
}
