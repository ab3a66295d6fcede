// Idempotency-Key support for POST routes: the middleware and the scheduled cleanup.
export { idempotent } from "./middleware.ts";
export { completeIdempotencyKeyQuery, purgeExpiredIdempotencyKeys, IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from "./store.ts";
export { parseIdempotencyKey, requestFingerprint } from "./fingerprint.ts";
