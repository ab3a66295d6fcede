// The delivery policy, in one place (docs/webhooks.md describes it): timeout, retry schedule with
// jitter, Retry-After, the per-endpoint concurrency limit and the disable threshold.

/** Deadline of one delivery attempt, answer included. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Bytes of a receiver's answer read at most (the body is not kept, only the status). */
export const MAX_ANSWER_BYTES = 16 * 1024;
/** At most this many attempts to one endpoint are in flight at once; more wait, other endpoints do not. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 4;
/** How long a claimed attempt holds its slot if its Worker dies mid-attempt (longer than any attempt). */
export const LEASE_MS = 60_000;
/** Delays before the retries after a failed first attempt: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, 24 h. */
export const RETRY_SCHEDULE_SECONDS = [5, 30, 120, 600, 3_600, 21_600, 86_400] as const;
/** Attempts of one delivery before it is dead-lettered (the first plus one per scheduled retry). */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
/**
 * Failed attempts in a row (over all the endpoint's deliveries, no success between) that disable an
 * endpoint, once it has also been failing for DISABLE_AFTER_FAILING_FOR_MS.
 */
export const DISABLE_AFTER_CONSECUTIVE_FAILURES = 30;
/**
 * How long an endpoint must have been failing (since its last success) before it is disabled. The
 * count alone is reached within seconds when a busy endpoint blips: the graduation-day drill saw a
 * 20-second receiver outage disable the endpoint, stopping every delivery until a person re-enabled
 * it. A day of failures is a receiver that is gone, not one restarting.
 */
export const DISABLE_AFTER_FAILING_FOR_MS = 24 * 60 * 60 * 1000;
/** The longest Retry-After honoured; a receiver cannot push a retry further than the schedule's end. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Delay before the next attempt after `failedAttempts` failures of a delivery, or null when it is
 * out of attempts. ±20 % jitter spreads retries of many deliveries; a later `Retry-After` wins.
 */
export function retryDelayMs(failedAttempts: number, retryAfterSeconds: number | null, random: () => number = Math.random): number | null {
  const base = RETRY_SCHEDULE_SECONDS[failedAttempts - 1];
  if (base === undefined) return null;
  const jittered = base * 1000 * (0.8 + 0.4 * random());
  const asked = retryAfterSeconds === null ? 0 : Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000;
  return Math.round(Math.max(jittered, asked));
}

/** Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date, RFC 9110 §10.2.3), or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
