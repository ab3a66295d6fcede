// Dates as people read them. Always UTC, so the server page and the browser verifier agree.

const LONG = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "12 March 2026", or the input unchanged when it is not a date. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : LONG.format(ms);
}

/** UTC year and month (1-12) of an ISO date, or null. */
export function yearMonth(iso: string | undefined): { year: number; month: number } | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
