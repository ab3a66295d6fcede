// RED metrics (rate, errors, duration) per route, kept in isolate memory and exposed in the
// Prometheus text format on /metrics. On Cloudflare each isolate reports its own view; the
// same numbers go to logs (one line per request) for aggregation across isolates.

const BUCKETS_MS = [5, 10, 25, 50, 100, 200, 500, 1000, 2500, 5000];

interface Series {
  count: number;
  errors: number;
  sumMs: number;
  buckets: number[];
}

/** Request metrics of one service: counts, 5xx errors and a latency histogram per route. */
export class RequestMetrics {
  readonly service: string;
  private readonly series = new Map<string, Series>();
  private readonly gauges = new Map<string, () => number | Promise<number>>();
  private readonly counters = new Map<string, number>();

  constructor(service: string) {
    this.service = service;
  }

  /** Records one answered request. `route` is the route pattern, never the raw path (bounded cardinality). */
  observe(route: string, status: number, durationMs: number): void {
    const key = `${route}\u0000${Math.floor(status / 100)}xx`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { count: 0, errors: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) }));
    s.count++;
    if (status >= 500) s.errors++;
    s.sumMs += durationMs;
    BUCKETS_MS.forEach((le, i) => {
      if (durationMs <= le) s.buckets[i]!++;
    });
  }

  /** Adds to a named counter (e.g. queue messages dead-lettered). */
  increment(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** Registers a gauge read when /metrics is scraped (e.g. queue depth). */
  gauge(name: string, read: () => number | Promise<number>): void {
    this.gauges.set(name, read);
  }

  /** Prometheus text exposition format 0.0.4. */
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
      BUCKETS_MS.forEach((le, i) => lines.push(`laurel_request_duration_ms_bucket{${labels},le="${le}"} ${s.buckets[i]}`));
      lines.push(`laurel_request_duration_ms_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`laurel_request_duration_ms_sum{${labels}} ${s.sumMs.toFixed(1)}`);
      lines.push(`laurel_request_duration_ms_count{${labels}} ${s.count}`);
    }
    for (const [name, value] of this.counters) lines.push(`# TYPE ${name} counter`, `${name}{${svc}} ${value}`);
    for (const [name, read] of this.gauges) {
      let value: number;
      try {
        value = await read();
      } catch {
        value = Number.NaN;
      }
      lines.push(`# TYPE ${name} gauge`, `${name}{${svc}} ${value}`);
    }
    return lines.join("\n") + "\n";
  }
}
