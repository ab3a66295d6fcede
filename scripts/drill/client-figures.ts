// What the drill's clients saw, per route class: requests, errors, and latency percentiles, plus
// errors per 5-second window so the report can set them beside the faults' timeline.

export interface ClassFigures {
  requests: number;
  errors: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
  /** Status code → count (0: no answer). */
  statuses: Record<string, number>;
}

const WINDOW_MS = 5000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

/** Collects samples for named classes of requests. */
export class ClientFigures {
  private readonly latencies = new Map<string, number[]>();
  private readonly errors = new Map<string, number>();
  private readonly statuses = new Map<string, Record<string, number>>();
  /** Window start (ms since `startedAt`) → [requests, errors]. */
  private readonly windows = new Map<number, [number, number]>();

  private readonly startedAt: number;

  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  record(routeClass: string, sample: { status: number; ok: boolean; ms: number; at: number }): void {
    const list = this.latencies.get(routeClass) ?? [];
    list.push(sample.ms);
    this.latencies.set(routeClass, list);
    if (!sample.ok) this.errors.set(routeClass, (this.errors.get(routeClass) ?? 0) + 1);
    const statuses = this.statuses.get(routeClass) ?? {};
    statuses[sample.status] = (statuses[sample.status] ?? 0) + 1;
    this.statuses.set(routeClass, statuses);
    const window = Math.floor((sample.at - this.startedAt) / WINDOW_MS) * WINDOW_MS;
    const counts = this.windows.get(window) ?? [0, 0];
    counts[0]++;
    if (!sample.ok) counts[1]++;
    this.windows.set(window, counts);
  }

  byClass(): Record<string, ClassFigures> {
    const out: Record<string, ClassFigures> = {};
    for (const [name, list] of this.latencies) {
      const sorted = [...list].sort((a, b) => a - b);
      const errors = this.errors.get(name) ?? 0;
      out[name] = {
        requests: list.length,
        errors,
        errorRatio: list.length ? Math.round((errors / list.length) * 10_000) / 10_000 : 0,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        statuses: this.statuses.get(name) ?? {},
      };
    }
    return out;
  }

  /** Windows with at least one error: `{atSeconds, requests, errors}`, in order. */
  errorWindows(): { atSeconds: number; requests: number; errors: number }[] {
    return [...this.windows]
      .filter(([, [, errors]]) => errors > 0)
      .sort(([a], [b]) => a - b)
      .map(([start, [requests, errors]]) => ({ atSeconds: start / 1000, requests, errors }));
  }

  /** Requests per second over each window, for the ramp's shape. */
  rateWindows(): { atSeconds: number; rps: number }[] {
    return [...this.windows].sort(([a], [b]) => a - b).map(([start, [requests]]) => ({ atSeconds: start / 1000, rps: Math.round(requests / (WINDOW_MS / 1000)) }));
  }
}
