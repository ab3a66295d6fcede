// The shape of what the Workers record about each request and queue job, and of the batches an
// isolate sends to the stack-wide aggregator. Shared by the recorder (both Workers), the aggregator
// Durable Object and the readers (/metrics, /ops, the alert evaluator).

/** Upper bounds (ms) of the latency histogram's buckets; one more bucket holds everything slower. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 200, 500, 1000, 2500, 5000] as const;
/** Number of histogram cells per series: one per bound plus the +Inf cell. */
export const HISTOGRAM_CELLS = LATENCY_BUCKETS_MS.length + 1;

/** One answered request or one handled queue message. */
export interface DataPoint {
  /** "edge" or "origin". */
  service: string;
  /** "request" (HTTP) or "job" (a queue message). */
  kind: "request" | "job";
  /** Route pattern (never the raw path) or queue job type: bounded cardinality. */
  group: string;
  /** HTTP status, or for a job 200 (acked), 503 (retried) or 500 (failed for good). */
  status: number;
  durationMs: number;
  /** The org the work was for, when known (Analytics Engine index; not aggregated locally). */
  orgId?: string;
  /** Epoch ms when the work ended (default: now). Tests inject it. */
  at?: number;
}

/** Counts of one series (service, kind, group, status class) in one minute. */
export interface SeriesCell {
  minute: number;
  service: string;
  kind: string;
  group: string;
  /** "2xx", "4xx", "5xx"... */
  statusClass: string;
  count: number;
  errors: number;
  sumMs: number;
  /** Non-cumulative counts per latency bucket (`HISTOGRAM_CELLS` cells). */
  histogram: number[];
}

/** A named counter's increase in one minute (jobs retried, dead letters, KV misses...). */
export interface CounterCell {
  minute: number;
  service: string;
  name: string;
  value: number;
}

/** What one isolate sends the aggregator at a time. */
export interface MetricsBatch {
  series: SeriesCell[];
  counters: CounterCell[];
  /** Points this isolate dropped since its last batch because its buffer was full. */
  dropped: number;
}

/** Epoch minute of a timestamp. */
export function minuteOf(epochMs: number): number {
  return Math.floor(epochMs / 60_000);
}

/** Index of the histogram cell a duration falls into. */
export function bucketIndex(durationMs: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((le) => durationMs <= le);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
}

/** The status class label of an HTTP status ("5xx"). */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/**
 * The latency under which a fraction `q` of the histogram's requests fall, as the upper bound of
 * the bucket reaching it (like Prometheus' histogram_quantile, without interpolation): an upper
 * estimate. Infinity when it lies in the +Inf cell; null with no requests.
 */
export function histogramQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i]! : Infinity;
  }
  return Infinity;
}

/** Requests of a histogram slower than `thresholdMs`, which must be one of LATENCY_BUCKETS_MS. */
export function slowerThan(histogram: readonly number[], thresholdMs: number): number {
  const i = LATENCY_BUCKETS_MS.indexOf(thresholdMs as (typeof LATENCY_BUCKETS_MS)[number]);
  if (i < 0) throw new Error(`${thresholdMs} ms is not a latency bucket bound`);
  return histogram.slice(i + 1).reduce((a, b) => a + b, 0);
}
