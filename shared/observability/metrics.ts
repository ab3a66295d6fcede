// RED metrics (rate, errors, duration) per route. Each Worker keeps one RequestMetrics per isolate:
// it counts in isolate memory (the fallback view, and what in-isolate tests read) and hands every
// request, job and counter to its MetricsRecorder, which feeds Analytics Engine and the stack-wide
// aggregator. /metrics renders the aggregator's figures (stack-metrics.ts), which survive isolates.
import { LATENCY_BUCKETS_MS } from "./metrics-points.ts";
import { MetricsRecorder, type RecordingIo } from "./metrics-recorder.ts";

interface Series {
  count: number;
  errors: number;
  sumMs: number;
  buckets: number[];
}

/** Request metrics of one service: counts, 5xx errors and a latency histogram per route. */
export class RequestMetrics {
  readonly service: string;
  readonly recorder: MetricsRecorder;
  private readonly series = new Map<string, Series>();
  private readonly gauges = new Map<string, () => number | Promise<number>>();
  private readonly counters = new Map<string, number>();

  constructor(service: string) {
    this.service = service;
    this.recorder = new MetricsRecorder(service);
  }

  /**
   * Records one answered request. `route` is the route pattern, never the raw path (bounded
   * cardinality). With `io`, the request also goes to Analytics Engine and the aggregator.
   */
  observe(route: string, status: number, durationMs: number, io?: RecordingIo, orgId?: string): void {
    const key = `${route}\u0000${Math.floor(status / 100)}xx`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { count: 0, errors: 0, sumMs: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0) }));
    s.count++;
    if (status >= 500) s.errors++;
    s.sumMs += durationMs;
    LATENCY_BUCKETS_MS.forEach((le, i) => {
      if (durationMs <= le) s.buckets[i]!++;
    });
    if (io) this.recorder.record({ kind: "request", group: route, status, durationMs, orgId }, io);
  }

  /** Records one handled queue message: `status` 200 acked, 503 retried, 500 failed for good. */
  observeJob(type: string, status: number, durationMs: number, io: RecordingIo, orgId?: string): void {
    this.recorder.record({ kind: "job", group: type, status, durationMs, orgId }, io);
  }

  /** Adds to a named counter (e.g. queue messages dead-lettered). */
  increment(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
    this.recorder.count(name, by);
  }

  /** Registers a gauge read when /metrics is scraped (e.g. queue depth). */
  gauge(name: string, read: () => number | Promise<number>): void {
    this.gauges.set(name, read);
  }

  /** The gauges' current values, in Prometheus text (a failed read shows NaN). */
  async renderGauges(): Promise<string[]> {
    const svc = `service="${this.service}"`;
    const lines: string[] = [];
    for (const [name, read] of this.gauges) {
      let value: number;
      try {
        value = await read();
      } catch {
        value = Number.NaN;
      }
      lines.push(`# TYPE ${name} gauge`, `${name}{${svc}} ${value}`);
    }
    return lines;
  }

  /** This isolate's own figures, Prometheus text exposition format 0.0.4. */
  async render(): Promise<string> {
    const svc = `service="${this.service}"`;
    const lines: string[] = [
      "# TYPE laurel_requests_total counter",
      "# TYPE laurel_request_errors_total counter",
      "# TYPE laurel_request_duration_ms histogram",
    ];
    for (const [key, s] of this.series) {
      const [route, cls] = key.split("\u0000");
      const labels = `${svc},route="${route}",status="${cls}"`;
      lines.push(`laurel_requests_total{${labels}} ${s.count}`);
      lines.push(`laurel_request_errors_total{${labels}} ${s.errors}`);
      LATENCY_BUCKETS_MS.forEach((le, i) => lines.push(`laurel_request_duration_ms_bucket{${labels},le="${le}"} ${s.buckets[i]}`));
      lines.push(`laurel_request_duration_ms_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`laurel_request_duration_ms_sum{${labels}} ${s.sumMs.toFixed(1)}`);
      lines.push(`laurel_request_duration_ms_count{${labels}} ${s.count}`);
    }
    for (const [name, value] of this.counters) lines.push(`# TYPE ${name} counter`, `${name}{${svc}} ${value}`);
    lines.push(...(await this.renderGauges()));
    return lines.join("\n") + "\n";
  }
}
