// XML Schema dateTimeStamp strings for validFrom/validUntil (VC 2.0 §4.9 Validity Period).

/** An ISO 8601 UTC timestamp with second precision, e.g. `2026-11-24T10:00:00Z` (VC 2.0 §4.9). */
export function toDateTimeStamp(value: Date | string | number): string {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`invalid date: ${String(value)}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

// Full RFC 3339 date-time with a mandatory offset, as `dateTimeStamp` requires.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch of a VC 2.0 dateTimeStamp, or NaN when it is not one (VC 2.0 §4.9). */
export function parseDateTimeStamp(value: unknown): number {
  if (typeof value !== "string" || value.length > 40 || !DATE_TIME.test(value)) return NaN;
  return Date.parse(value);
}
