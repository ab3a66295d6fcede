// Issuer keys, did:web identifiers, DID documents and JWKS.
export { generateIssuerKey, publicJwkOf } from "./generate.ts";
export type { IssuerKeyPair } from "./generate.ts";
export { issuerDid, didWebToUrl } from "./did-web.ts";
export { buildDidDocument, buildJwks, DID_CONTEXTS, MULTIKEY_CONTEXT } from "./did-document.ts";
export type { DidDocument, JwkVerificationMethod, MultikeyVerificationMethod, VerificationMethod } from "./did-document.ts";
export { keysFromDocument } from "./lookup.ts";
