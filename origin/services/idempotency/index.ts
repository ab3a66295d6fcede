// Idempotency-Key support for POST routes: the middleware and the scheduled cleanup.
export { idempotent } from "./middleware.ts";
export {
  completeIdempotencyKeyStatement,
  purgeExpiredIdempotencyKeys,
  reopenIdempotencyKeyStatement,
  type IdempotencyClaim, type StoredAnswer } from "./store.ts";
