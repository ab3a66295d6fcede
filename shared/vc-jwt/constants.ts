// Limits and allow-lists for VC-JWT processing (RFC 8725 §3.1, §3.11; VC-JOSE-COSE §3.1.1).

/** Signature algorithms Laurel signs and accepts: never `none`, never HMAC (RFC 8725 §3.1). */
export const ALLOWED_ALGORITHMS = ["ES256", "EdDSA"] as const;

/** A JWS algorithm from the allow-list (RFC 7518 §3.4 ES256, RFC 8037 §3.1 EdDSA). */
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

/** Header `typ` values accepted, lower-cased, `application/` dropped (RFC 7515 §4.1.9, RFC 8725 §3.11). */
export const ALLOWED_TYPES = ["jwt", "vc+jwt"] as const;

/** Credentials larger than this are rejected before any parsing (RFC 8725 §3.3 resource limits). */
export const MAX_CREDENTIAL_JWT_BYTES = 64 * 1024;

/** Largest compact JWS decoded at all, whatever it carries (status list JWTs reach 2 MiB). */
export const MAX_JWS_CHARS = 4 * 1024 * 1024;

/** Clock skew allowed on validFrom/validUntil checks, in seconds (RFC 7519 §4.1.4-5 "leeway"). */
export const CLOCK_TOLERANCE_SECONDS = 60;
