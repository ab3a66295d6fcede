// A small HTTP load generator for benchmarks and load tests: a fixed number of workers (the
// concurrency) loop over the given URLs until a request count or a duration is reached.
// Loopback only: it refuses any other host, so it can never load someone else's server.

/** Outcome of one load run. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Status code → count. */
  statuses: Record<number, number>;
  durationMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** First few non-2xx/3xx answers or exceptions, for diagnosis. */
  samples: string[];
}

export interface LoadOptions {
  urls: string[];
  concurrency: number;
  /** Stop after this many requests in total... */
  maxRequests?: number;
  /** ...or after this long, whichever comes first. */
  durationMs?: number;
  headers?: Record<string, string>;
  /** Extra check of a 2xx answer's body; a false result counts as an error. */
  check?: (url: string, status: number, body: string) => boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs the load and reports throughput and latency percentiles. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  for (const url of opts.urls) {
    if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`refusing to load a non-loopback host: ${url}`);
  }
  const maxRequests = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const deadline = Date.now() + (opts.durationMs ?? 60_000);
  if (!Number.isFinite(maxRequests) && opts.durationMs === undefined) throw new Error("bound the load by count or time");
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const samples: string[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();

  async function worker() {
    while (issued < maxRequests && Date.now() < deadline) {
      const url = opts.urls[issued++ % opts.urls.length]!;
      const t0 = performance.now();
      try {
        const res = await fetch(url, { headers: opts.headers });
        const body = await res.text();
        latencies.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const ok = res.status < 400 && (!opts.check || opts.check(url, res.status, body));
        if (!ok) {
          errors++;
          if (samples.length < 5) samples.push(`${res.status} ${url} ${body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        statuses[0] = (statuses[0] ?? 0) + 1;
        if (samples.length < 5) samples.push(`exception ${url} ${String(error)}`);
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length + (statuses[0] ?? 0),
    errors,
    statuses,
    durationMs,
    rps: (latencies.length / durationMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    samples,
  };
}
