// Signs a VC 2.0 credential as a VC-JWT (VC-JOSE-COSE §3.1.1 with the JWT claims of docs/api.md "Credential format").

import { SignJWT, type JWK } from "jose";
import { issuerIdOf } from "../credential/shape.ts";
import { parseDateTimeStamp } from "../credential/dates.ts";
import type { SigningAlgorithm } from "./constants.ts";
import { algorithmForJwk, importSigningKey } from "./key-cache.ts";

/** An issuer's private key; the header `kid` becomes `<issuer id>#<keyId>` (docs/api.md "Identifiers"). */
export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey | JWK;
  /** Defaults to the JWK's algorithm, else ES256. */
  alg?: SigningAlgorithm;
}

/** Any VC 2.0 credential with the members the JWT claims are derived from (VC 2.0 §4). */
export interface SignableCredential {
  id: string;
  issuer: string | { id: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: { id?: string };
}

// `CryptoKey` is not a global in every runtime shared/ targets.
function isCryptoKey(key: CryptoKey | JWK): key is CryptoKey {
  return typeof CryptoKey !== "undefined" && key instanceof CryptoKey;
}

function resolveAlg(key: SigningKey): SigningAlgorithm {
  if (key.alg) return key.alg;
  if (!isCryptoKey(key.privateKey)) return algorithmForJwk(key.privateKey) ?? "ES256";
  return key.privateKey.algorithm.name === "Ed25519" ? "EdDSA" : "ES256";
}

/**
 * Compact VC-JWT of `credential`: header {alg, typ: "JWT", kid}, payload = the credential plus
 * iss, jti, sub, nbf and exp (RFC 7519 §4.1; VC-JOSE-COSE §3.1.1). Throws on unusable input.
 */
export async function signCredentialJwt(credential: SignableCredential, key: SigningKey): Promise<string> {
  const iss = issuerIdOf(credential.issuer);
  if (!iss) throw new TypeError("credential.issuer.id is required");
  if (!key.keyId || key.keyId.includes("#")) throw new TypeError("keyId must be a bare key id (no '#')");
  const nbf = parseDateTimeStamp(credential.validFrom);
  if (Number.isNaN(nbf)) throw new TypeError("credential.validFrom must be a date-time");
  const alg = resolveAlg(key);
  const payload: Record<string, unknown> = { ...credential, iss, jti: credential.id, nbf: Math.floor(nbf / 1000) };
  if (credential.credentialSubject.id) payload.sub = credential.credentialSubject.id;
  if (credential.validUntil !== undefined) {
    const exp = parseDateTimeStamp(credential.validUntil);
    if (Number.isNaN(exp)) throw new TypeError("credential.validUntil must be a date-time");
    payload.exp = Math.floor(exp / 1000);
  }
  const privateKey = isCryptoKey(key.privateKey) ? key.privateKey : await importSigningKey(key.privateKey, alg);
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT", kid: `${iss}#${key.keyId}` }).sign(privateKey);
}
