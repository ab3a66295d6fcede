// Sync schedules: `hourly`, `daily` or `every N minutes` (N from 5 to 1440). The every-minute cron
// starts a sync of each integration whose next_sync_at has passed (services/integrations/scheduled.ts).

export const SCHEDULE_RULE = 'must be "hourly", "daily" or "every N minutes" with N from 5 to 1440';
export const SCHEDULE_MIN_MINUTES = 5;
export const SCHEDULE_MAX_MINUTES = 1440;

/** The interval in minutes a schedule stands for, or null when it is not one. */
export function scheduleMinutes(schedule: string): number | null {
  const value = schedule.trim().toLowerCase();
  if (value === "hourly") return 60;
  if (value === "daily") return 1440;
  const match = /^every (\d{1,4}) minutes?$/.exec(value);
  if (!match) return null;
  const minutes = Number(match[1]);
  return minutes >= SCHEDULE_MIN_MINUTES && minutes <= SCHEDULE_MAX_MINUTES ? minutes : null;
}

/** When a schedule of `minutes` next fires after `from`. */
export function nextSyncAfter(from: number, minutes: number): Date {
  return new Date(from + minutes * 60_000);
}
