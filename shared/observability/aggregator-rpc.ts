// The RPC surface of the stack-wide metrics aggregator (edge/objects/metrics-aggregator.do.ts),
// typed here so both Workers call it without importing each other.
import type { MetricsBatch, SeriesCell } from "./metrics-points.ts";

/** Totals of one series since the aggregator started (Prometheus counters never go down). */
export type SeriesTotal = Omit<SeriesCell, "minute">;

/** One series' sums over a window, or over one minute of it (`minute` set). */
export interface WindowRow {
  minute?: number;
  service: string;
  kind: string;
  group: string;
  count: number;
  errors: number;
  sumMs: number;
  histogram: number[];
}

/** A named counter's total or increase. */
export interface CounterRow {
  service: string;
  name: string;
  value: number;
}

/** What the aggregator answers. */
export interface MetricsAggregatorRpc {
  ingest(batch: MetricsBatch): Promise<void>;
  totals(service?: string): Promise<{ series: SeriesTotal[]; counters: CounterRow[] }>;
  window(fromMinute: number, toMinute: number, perMinute?: boolean): Promise<WindowRow[]>;
  counterWindow(fromMinute: number, toMinute: number): Promise<CounterRow[]>;
  getState<T>(key: string): Promise<T | null>;
  putState(key: string, value: unknown): Promise<void>;
}

/** A Durable Object id, as far as this module needs one (shared/ also compiles without the Workers types). */
export interface ObjectId {
  toString(): string;
}

/** The Durable Object binding both Workers name METRICS. */
export interface MetricsAggregatorNamespace {
  idFromName(name: string): ObjectId;
  get(id: ObjectId): MetricsAggregatorRpc;
}

/** The stack's one aggregator. */
export function metricsAggregator(namespace: MetricsAggregatorNamespace): MetricsAggregatorRpc {
  return namespace.get(namespace.idFromName("stack"));
}

/** The bindings a Worker records through: METRICS (the aggregator) and METRICS_EVENTS (Analytics Engine). */
export interface MetricsBindings {
  METRICS?: MetricsAggregatorNamespace;
  METRICS_EVENTS?: { writeDataPoint(event: { blobs?: string[]; doubles?: number[]; indexes?: string[] }): void };
}
