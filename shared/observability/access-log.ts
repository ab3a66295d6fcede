// Which per-request log lines a hot read path writes. Every line costs a trip through the log
// pipeline (workerd → wrangler → launcher locally; Workers Logs in production), which at edge
// request rates costs more than answering. So a sampler keeps every line worth reading (errors,
// 4xx, slow, writes, requests the caller traces) and only 1 in N of the fast successful reads,
// and a periodic per-isolate summary line carries the counts and latency percentiles of them all.

/** What the sampler needs to know about one answered request. */
export interface AccessRecord {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  /** The caller sent its own x-request-id/traceparent: it is tracing this request. */
  traced: boolean;
}

/** Options of `AccessLogSampler`. */
export interface AccessLogOptions {
  /** Write 1 in `sampleEvery` fast successful reads (default 100; 1 writes all). */
  sampleEvery?: number;
  /** A request at least this slow is always written (default 250 ms). */
  slowMs?: number;
  /** Length of a summary window (default 10 s); the summary is written by the first request after it. */
  summaryEveryMs?: number;
}

/** The sampler's verdict for one request. */
export interface AccessDecision {
  /** Write this request's own line. */
  write: boolean;
  /** Set on a sampled line: it stands for this many requests. */
  sampleRate?: number;
  /** A summary of the window that just ended, to be written as its own line. */
  summary?: Record<string, unknown>;
}

interface RouteWindow {
  count: number;
  byClass: Record<string, number>;
  durations: number[];
  maxMs: number;
}

// Durations kept per route and window for percentiles; beyond it, reservoir sampling keeps them fair.
const RESERVOIR = 2048;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Per-isolate access log policy: always write errors, 4xx, slow requests, non-GET/HEAD requests,
 * unmatched routes and traced requests; write 1 in N of the rest (marked `sampleRate: N`); every
 * `summaryEveryMs`, hand back a summary of all requests of the window (count, per status class,
 * p50, p99 and max per route, lines written and suppressed).
 */
export class AccessLogSampler {
  private readonly sampleEvery: number;
  private readonly slowMs: number;
  private readonly summaryEveryMs: number;
  private routes = new Map<string, RouteWindow>();
  private windowStart: number | null = null;
  private written = 0;
  private suppressed = 0;
  private fastReads = 0;

  constructor(opts: AccessLogOptions = {}) {
    this.sampleEvery = Math.max(1, Math.floor(opts.sampleEvery ?? 100));
    this.slowMs = opts.slowMs ?? 250;
    this.summaryEveryMs = opts.summaryEveryMs ?? 10_000;
  }

  /** Records one answered request and decides what to write. */
  record(r: AccessRecord, now = Date.now()): AccessDecision {
    this.windowStart ??= now;
    const summary = now - this.windowStart >= this.summaryEveryMs ? this.takeSummary(now) : undefined;
    this.observe(r);
    const always =
      r.status >= 400 || r.durationMs >= this.slowMs || (r.method !== "GET" && r.method !== "HEAD") || r.route === "unmatched" || r.traced;
    let decision: AccessDecision;
    if (always) decision = { write: true };
    else if (this.fastReads++ % this.sampleEvery === 0) decision = this.sampleEvery === 1 ? { write: true } : { write: true, sampleRate: this.sampleEvery };
    else decision = { write: false };
    if (decision.write) this.written++;
    else this.suppressed++;
    if (summary) decision.summary = summary;
    return decision;
  }

  private observe(r: AccessRecord): void {
    const key = `${r.method} ${r.route}`;
    let w = this.routes.get(key);
    if (!w) this.routes.set(key, (w = { count: 0, byClass: {}, durations: [], maxMs: 0 }));
    w.count++;
    const cls = `${Math.floor(r.status / 100)}xx`;
    w.byClass[cls] = (w.byClass[cls] ?? 0) + 1;
    if (r.durationMs > w.maxMs) w.maxMs = r.durationMs;
    if (w.durations.length < RESERVOIR) w.durations.push(r.durationMs);
    else {
      const slot = Math.floor(Math.random() * w.count);
      if (slot < RESERVOIR) w.durations[slot] = r.durationMs;
    }
  }

  private takeSummary(now: number): Record<string, unknown> | undefined {
    const windowMs = now - this.windowStart!;
    const routes: Record<string, unknown> = {};
    let requests = 0;
    for (const [key, w] of this.routes) {
      const sorted = w.durations.sort((a, b) => a - b);
      routes[key] = { count: w.count, ...w.byClass, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: w.maxMs };
      requests += w.count;
    }
    const summary = { windowMs, requests, linesWritten: this.written, linesSuppressed: this.suppressed, routes };
    this.routes = new Map();
    this.windowStart = now;
    this.written = 0;
    this.suppressed = 0;
    return requests > 0 ? summary : undefined;
  }
}
