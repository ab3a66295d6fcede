// VC-JWT signing and verification (VC-JOSE-COSE §3.1.1, RFC 7515, RFC 8725).
export { ALLOWED_ALGORITHMS, ALLOWED_TYPES, MAX_CREDENTIAL_JWT_BYTES, MAX_JWS_CHARS, CLOCK_TOLERANCE_SECONDS } from "./constants.ts";
export type { SigningAlgorithm } from "./constants.ts";
export { signCredentialJwt } from "./sign.ts";
export type { SigningKey, SignableCredential } from "./sign.ts";
export { verifyVcJwt } from "./verify.ts";
export type { IssuerKeyResolver, IssuerKeySet, VcJwtOptions, VcJwtVerification } from "./verify.ts";
export { decodeCompactJws } from "./parse.ts";
export { compactJwsProblem, looksLikeCompactJws, MAX_JWS_HEADER_CHARS } from "./compact.ts";
export { REFUSED_HEADER_PARAMETERS, refusedHeaderProblem } from "./header.ts";
export type { DecodedJws } from "./parse.ts";
export { CheckList } from "./check-list.ts";
export type { Check, Outcome, VerificationStatus } from "./check-list.ts";
export { importVerifyKey, algorithmForJwk } from "./key-cache.ts";
