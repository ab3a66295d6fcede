// How long a signed status list is valid (STATUS_LIST_VALIDITY_DAYS, default 7) and how long before
// its end the cron re-signs it. A list that expires is no longer accepted by verifiers, so an old
// list cannot be replayed forever to hide a later revocation.
import type { OriginEnv } from "../../env.ts";

export const DEFAULT_STATUS_LIST_VALIDITY_DAYS = 7;
const MAX_STATUS_LIST_VALIDITY_DAYS = 366;
const DAY_MS = 86_400_000;
/** Re-signing starts this long before a list's validUntil, or half the period when that is shorter. */
const REFRESH_AHEAD_MS = 2 * DAY_MS;

/** The validity period of new status list signatures and when a signed list is due for re-signing. */
export interface StatusListValidity {
  periodMs: number;
  /** A list whose validUntil is closer than this is re-signed by the cron. */
  refreshAheadMs: number;
}

/**
 * Reads STATUS_LIST_VALIDITY_DAYS (whole days, 1 to 366; unset means 7). Throws naming the setting
 * when it is anything else, rather than signing lists with a surprising period.
 */
export function statusListValidity(env: Pick<OriginEnv, "STATUS_LIST_VALIDITY_DAYS">): StatusListValidity {
  const raw = env.STATUS_LIST_VALIDITY_DAYS;
  const days = raw === undefined || raw === "" ? DEFAULT_STATUS_LIST_VALIDITY_DAYS : Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > MAX_STATUS_LIST_VALIDITY_DAYS) {
    throw new Error(`STATUS_LIST_VALIDITY_DAYS must be a whole number of days from 1 to ${MAX_STATUS_LIST_VALIDITY_DAYS}, got ${JSON.stringify(raw)}`);
  }
  const periodMs = days * DAY_MS;
  return { periodMs, refreshAheadMs: Math.min(REFRESH_AHEAD_MS, periodMs / 2) };
}

/** validFrom (the signing time, whole seconds) and validUntil of a list signed at `now`. */
export function validityWindow(validity: StatusListValidity, now: number = Date.now()): { validFrom: Date; validUntil: Date } {
  const from = Math.floor(now / 1000) * 1000;
  return { validFrom: new Date(from), validUntil: new Date(from + validity.periodMs) };
}
