// Ed25519 keys for Data Integrity: WebCrypto (workerd, Node >= 20 and browsers all implement
// "Ed25519"), Multikey encoding of public keys (Controlled Identifiers §2.2.2: multibase base58btc
// of the multicodec ed25519-pub header 0xed01 + 32 key bytes).
import { base58, base64urlnopad } from "@scure/base";
import { concatBytes } from "../bytes.ts";
import { DataIntegrityError } from "./errors.ts";

export interface Ed25519PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
}

export interface Ed25519PrivateJwk extends Ed25519PublicJwk {
  d: string;
}

const ED25519 = { name: "Ed25519" } as const;
const ED25519_PUB_HEADER = new Uint8Array([0xed, 0x01]);
const ED25519_PRIV_HEADER = new Uint8Array([0x80, 0x26]);

/** A new Ed25519 key pair as a private JWK (its `x` is the public key). */
export async function generateEd25519Jwk(): Promise<Ed25519PrivateJwk> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  if (typeof jwk.x !== "string" || typeof jwk.d !== "string") throw new Error("Ed25519 export gave no x/d");
  return { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d };
}

/** `z6Mk…`: the Multikey `publicKeyMultibase` of an Ed25519 public JWK. */
export function publicKeyMultibase(publicJwk: Ed25519PublicJwk): string {
  if (publicJwk.kty !== "OKP" || publicJwk.crv !== "Ed25519") throw new TypeError("not an Ed25519 JWK");
  const raw = base64urlnopad.decode(publicJwk.x);
  if (raw.length !== 32) throw new TypeError("an Ed25519 public key has 32 bytes");
  return `z${base58.encode(concatBytes([ED25519_PUB_HEADER, raw]))}`;
}

/** The 32 key bytes of an Ed25519 Multikey `publicKeyMultibase`, or null if it is not one. */
export function decodePublicKeyMultibase(multibase: string): Uint8Array | null {
  return decodeMultikey(multibase, ED25519_PUB_HEADER);
}

/**
 * The JWK of an Ed25519 Multikey secret key (`z3u2…`, multicodec ed25519-priv 0x1300): how the
 * W3C test vectors publish their keys. The public half is derived through a WebCrypto export.
 */
export async function privateJwkFromMultibase(secretMultibase: string, publicMultibase: string): Promise<Ed25519PrivateJwk> {
  const d = decodeMultikey(secretMultibase, ED25519_PRIV_HEADER);
  const x = decodePublicKeyMultibase(publicMultibase);
  if (!d || !x) throw new TypeError("not an Ed25519 Multikey pair");
  return { kty: "OKP", crv: "Ed25519", x: base64urlnopad.encode(x), d: base64urlnopad.encode(d) };
}

function decodeMultikey(multibase: string, header: Uint8Array): Uint8Array | null {
  // 34 bytes of base58 never exceed 48 characters: longer input is refused before decoding.
  if (typeof multibase !== "string" || !multibase.startsWith("z") || multibase.length > 60) return null;
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(multibase.slice(1));
  } catch {
    return null;
  }
  if (bytes.length !== 34 || bytes[0] !== header[0] || bytes[1] !== header[1]) return null;
  return bytes.slice(2);
}

export async function signEd25519(privateJwk: Ed25519PrivateJwk, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const { kty, crv, x, d } = privateJwk;
  const key = await crypto.subtle.importKey("jwk", { kty, crv, x, d }, ED25519, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign(ED25519, key, data));
}

export async function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("raw", new Uint8Array(publicKey), ED25519, false, ["verify"]);
  } catch {
    throw new DataIntegrityError("key_not_found", "the verification method's key is not a valid Ed25519 public key");
  }
  return crypto.subtle.verify(ED25519, key, new Uint8Array(signature), data);
}

/** Multibase base58btc (`z…`) of a signature, the `proofValue` encoding of eddsa-rdfc-2022. */
export function encodeProofValue(signature: Uint8Array): string {
  return `z${base58.encode(signature)}`;
}

/** The 64 signature bytes of a `proofValue`, or null if it is not base58btc of 64 bytes. */
export function decodeProofValue(proofValue: string): Uint8Array | null {
  // 64 bytes are at most 88 base58 characters: the cap keeps the quadratic decoder bounded.
  if (!proofValue.startsWith("z") || proofValue.length > 100) return null;
  try {
    const bytes = base58.decode(proofValue.slice(1));
    return bytes.length === 64 ? bytes : null;
  } catch {
    return null;
  }
}
