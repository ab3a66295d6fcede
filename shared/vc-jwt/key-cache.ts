// Imported WebCrypto keys, cached so the verification hot path never re-imports a JWK.
// Settled values only, as every in-isolate cache (shared/cache/ttl-lru.ts): a key is remembered once
// its import resolved, never as a promise another request would wait on, and a failed import is
// never remembered. Two concurrent first uses of a key each import it (cheap, and rare).

import { importJWK, type JWK } from "jose";
import { TtlLru } from "../cache/ttl-lru.ts";
import type { SigningAlgorithm } from "./constants.ts";

type Key = CryptoKey;

const MAX_ENTRIES = 512;
// Keyed by the RFC 7638 thumbprint *input* (the canonical required members): the same identity as
// the thumbprint, without paying for a SHA-256 per lookup.
const byMembers = new TtlLru<Key>(MAX_ENTRIES, Infinity);
// Fast path when a resolver hands back the same JWK objects each time.
const byObject = new WeakMap<object, { alg: string; key: Key }>();
const privateByObject = new WeakMap<object, { alg: string; key: Key }>();

/** The JWS algorithm a key implies (RFC 7518 §3.4, RFC 8037 §3.1), or null if it is not allowed. */
export function algorithmForJwk(jwk: JWK): SigningAlgorithm | null {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  return null;
}

function membersKey(jwk: JWK, alg: string): string {
  return `${alg}|${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ""}`;
}

/**
 * Imports a public JWK for `alg` (RFC 7517 §4, only public members are used), memoised per key.
 * Rejects when the key type does not fit the algorithm (RFC 8725 §3.1).
 */
export async function importVerifyKey(jwk: JWK, alg: SigningAlgorithm): Promise<Key> {
  const hit = byObject.get(jwk);
  if (hit && hit.alg === alg) return hit.key;
  if (algorithmForJwk(jwk) !== alg || typeof jwk.x !== "string" || (alg === "ES256" && typeof jwk.y !== "string")) {
    throw new TypeError(`key ${jwk.kid ?? ""} does not fit ${alg}`);
  }
  const id = membersKey(jwk, alg);
  let key = byMembers.get(id);
  if (!key) {
    const pub: JWK = alg === "ES256" ? { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } : { kty: "OKP", crv: "Ed25519", x: jwk.x };
    key = (await importJWK(pub, alg)) as Key;
    byMembers.set(id, key);
  }
  byObject.set(jwk, { alg, key });
  return key;
}

/** Imports a private JWK for signing (RFC 7517 §4), memoised per JWK object. */
export async function importSigningKey(jwk: JWK, alg: SigningAlgorithm): Promise<Key> {
  const hit = privateByObject.get(jwk);
  if (hit && hit.alg === alg) return hit.key;
  if (algorithmForJwk(jwk) !== alg || typeof jwk.d !== "string") {
    throw new TypeError(`private key ${jwk.kid ?? ""} does not fit ${alg}`);
  }
  const key = (await importJWK(jwk, alg)) as Key;
  privateByObject.set(jwk, { alg, key });
  return key;
}
