// Idempotency-Key support for POST routes: the middleware and the scheduled cleanup.
export { idempotent } from "./middleware.ts";
export { completeIdempotencyKeyQuery, purgeExpiredIdempotencyKeys } from "./store.ts";
