// DID documents and JWKS for an issuer (DID Core §5, JsonWebKey2020 suite, RFC 7517 §5).

import type { JWK } from "jose";
import { publicJwkOf } from "./generate.ts";

/** Contexts of Laurel's DID documents (DID Core §4.1; JWS 2020 suite for JsonWebKey2020). */
export const DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"];

/** Added to the contexts when the document lists Multikey methods (Controlled Identifiers v1.0 §2.2.2). */
export const MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";

/** A JsonWebKey2020 verification method (DID Core §5.2; Linked Data Security JWS 2020). */
export interface JwkVerificationMethod {
  id: string;
  type: "JsonWebKey2020";
  controller: string;
  publicKeyJwk: JWK;
}

/** A Multikey verification method: an Ed25519 key for Data Integrity proofs (Controlled Identifiers v1.0 §2.2.2). */
export interface MultikeyVerificationMethod {
  id: string;
  type: "Multikey";
  controller: string;
  publicKeyMultibase: string;
}

export type VerificationMethod = JwkVerificationMethod | MultikeyVerificationMethod;

/** The DID document Laurel publishes at `/issuers/<slug>/did.json` (DID Core §5). */
export interface DidDocument {
  "@context": string[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
}

/** Fragment of a key id whether given bare (`abc`) or full (`did:web:...#abc`). */
function fragmentOf(kid: string | undefined): string {
  if (!kid) throw new TypeError("every key needs a kid");
  const hash = kid.lastIndexOf("#");
  return hash >= 0 ? kid.slice(hash + 1) : kid;
}

/**
 * DID document listing every key the issuer ever signed with, all in `assertionMethod` (DID Core
 * §5.3.2), so old credentials keep verifying after rotation: the JWT keys as JsonWebKey2020
 * methods, then the Ed25519 Data Integrity keys (given as `publicKeyMultibase`, which is also
 * their fragment) as Multikey methods.
 */
export function buildDidDocument(did: string, publicJwks: readonly JWK[], multikeys: readonly string[] = []): DidDocument {
  const jwkMethods = publicJwks.map((jwk): VerificationMethod => {
    const { kid: _kid, ...publicKeyJwk } = publicJwkOf(jwk);
    return { id: `${did}#${fragmentOf(jwk.kid)}`, type: "JsonWebKey2020", controller: did, publicKeyJwk };
  });
  const multikeyMethods = multikeys.map(
    (publicKeyMultibase): VerificationMethod => ({ id: `${did}#${publicKeyMultibase}`, type: "Multikey", controller: did, publicKeyMultibase }),
  );
  const verificationMethod = [...jwkMethods, ...multikeyMethods];
  return {
    "@context": multikeyMethods.length > 0 ? [...DID_CONTEXTS, MULTIKEY_CONTEXT] : [...DID_CONTEXTS],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((m) => m.id),
  };
}

/** JWK Set of the issuer's keys with `kid` = `<did>#<key id>` and `use: "sig"` (RFC 7517 §5). */
export function buildJwks(did: string, publicJwks: readonly JWK[]): { keys: JWK[] } {
  return {
    keys: publicJwks.map((jwk) => ({ ...publicJwkOf(jwk), kid: `${did}#${fragmentOf(jwk.kid)}`, use: "sig" })),
  };
}
