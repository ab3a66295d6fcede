// Issuer signing keys (RFC 7517 JWK, RFC 7638 thumbprint key ids).

import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { SigningAlgorithm } from "../vc-jwt/constants.ts";

/** An issuer key pair as JWKs; both carry `kid` = `keyId` and `alg` (RFC 7517 §4.4-4.5). */
export interface IssuerKeyPair {
  keyId: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** Public members only: drops `d` and anything else private (RFC 7517 §9.2). */
export function publicJwkOf(jwk: JWK): JWK {
  const pub: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (jwk.y !== undefined) pub.y = jwk.y;
  if (jwk.kid !== undefined) pub.kid = jwk.kid;
  if (jwk.alg !== undefined) pub.alg = jwk.alg;
  return pub;
}

/**
 * Generates an extractable ES256 (default) or EdDSA key pair; `keyId` defaults to the RFC 7638
 * thumbprint of the public key. The header kid is later `<issuer did>#<keyId>`.
 */
export async function generateIssuerKey(opts: { alg?: SigningAlgorithm; keyId?: string } = {}): Promise<IssuerKeyPair> {
  const alg = opts.alg ?? "ES256";
  const pair =
    alg === "EdDSA"
      ? await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })
      : await generateKeyPair("ES256", { extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = publicJwkOf(await exportJWK(pair.publicKey));
  const keyId = opts.keyId ?? (await calculateJwkThumbprint(publicJwk, "sha256"));
  if (keyId.includes("#")) throw new TypeError("keyId must not contain '#'");
  for (const jwk of [privateJwk, publicJwk]) {
    jwk.kid = keyId;
    jwk.alg = alg;
  }
  return { keyId, alg, publicJwk, privateJwk };
}
