// How long a signed status list is valid (STATUS_LIST_VALIDITY_DAYS, default 7) and how long before
// its end the cron re-signs it. A list that expires is no longer accepted by verifiers, so an old
// list cannot be replayed forever to hide a later revocation.
import { originSetting, type OriginEnv } from "../../env.ts";

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
 * STATUS_LIST_VALIDITY_DAYS (whole days, 1 to 366; unset means 7; parsed by origin/env.ts). Throws
 * a SettingError naming the setting when it is anything else, rather than signing lists with a
 * surprising period.
 */
export function statusListValidity(env: Pick<OriginEnv, "STATUS_LIST_VALIDITY_DAYS">): StatusListValidity {
  const days = originSetting(env, "STATUS_LIST_VALIDITY_DAYS");
  const periodMs = days * DAY_MS;
  return { periodMs, refreshAheadMs: Math.min(REFRESH_AHEAD_MS, periodMs / 2) };
}

/** validFrom (the signing time, whole seconds) and validUntil of a list signed at `now`. */
export function validityWindow(validity: StatusListValidity, now: number = Date.now()): { validFrom: Date; validUntil: Date } {
  const from = Math.floor(now / 1000) * 1000;
  return { validFrom: new Date(from), validUntil: new Date(from + validity.periodMs) };
}
