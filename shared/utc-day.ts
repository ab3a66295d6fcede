// The day key of analytics: the edge counts per UTC day under this key and the origin's analytics
// API answers by it, so both take it from here.

/** The UTC day (`YYYY-MM-DD`) of a moment. */
export const utcDayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
