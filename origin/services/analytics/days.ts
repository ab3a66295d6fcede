// UTC days as the analytics API names them (YYYY-MM-DD) and the date range a query covers.
import { utcDayOf } from "../../../shared/utc-day.ts";

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== "string" || !DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Midnight UTC starting `day` (a calendar day), in ms. */
export const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

export { utcDayOf };

/** `day` moved by `n` days. */
export const addDays = (day: string, n: number) => utcDayOf(dayStartMs(day) + n * DAY_MS);

/** Days from `from` to `to`, both included (1 when equal). */
export const daysBetween = (from: string, to: string) => Math.round((dayStartMs(to) - dayStartMs(from)) / DAY_MS) + 1;

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = dayStartMs(from); ms <= dayStartMs(to); ms += DAY_MS) out.push(utcDayOf(ms));
  return out;
}
