// Dates as people read them. Always UTC, so the server page and the browser verifier agree.

const LONG = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "12 March 2026", or the input unchanged when it is not a date. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : LONG.format(ms);
}

const LONG_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** Date and time in UTC, e.g. "12 March 2026 at 14:05 UTC"; the input unchanged when it is not a date. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${LONG_TIME.format(ms)} UTC`;
}
