// A small HTTP load generator for benchmarks and load tests: a fixed number of workers (the
// concurrency) loop over the given requests until a request count or a duration is reached.
// Loopback only: it refuses any other host, so it can never load someone else's server.
//
// node:http with a keep-alive agent, not fetch: the client shares this 2-core machine with the
// stack it measures, and fetch cost 1.7 ms of CPU per request against 0.5 ms for node:http
// (1,000 POST /v1/credentials at 20 in flight, measured with /usr/bin/time), a third of a core
// taken from the server under test.
import http from "node:http";

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

/** One request of a load run. */
export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** GET these URLs in turn... */
  urls?: string[];
  /** ...or send the request this returns for the i-th request (0-based). */
  requestFor?: (i: number) => LoadRequest;
  concurrency: number;
  /** Stop after this many requests in total... */
  maxRequests?: number;
  /** ...or after this long, whichever comes first. */
  durationMs?: number;
  /** Extra check of a 2xx answer's body; a false result counts as an error. */
  check?: (url: string, status: number, body: string) => boolean;
  /** Called after every request (status 0: no answer), for callers that keep their own figures per class or over time. */
  observe?: (sample: { url: string; status: number; ok: boolean; ms: number; at: number }) => void;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const REQUEST_TIMEOUT_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function send(agent: http.Agent, request: LoadRequest): Promise<{ status: number; body: string }> {
  const url = new URL(request.url);
  if (!LOOPBACK.has(url.hostname)) return Promise.reject(new Error(`refusing to load a non-loopback host: ${request.url}`));
  const allHeaders = { ...request.headers };
  if (request.body !== undefined) allHeaders["content-length"] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port, path: url.pathname + url.search, method: request.method ?? "GET", headers: allHeaders, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    // A request that never completes would hang the whole run: it counts as an error instead.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.end(request.body);
  });
}

/** Runs the load and reports throughput and latency percentiles. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const urls = opts.urls ?? [];
  const requestFor = opts.requestFor ?? ((i: number) => ({ url: urls[i % urls.length]! }));
  if (!opts.requestFor && urls.length === 0) throw new Error("give urls or requestFor");
  for (const url of urls) {
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

  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  async function worker() {
    while (issued < maxRequests && Date.now() < deadline) {
      const request = requestFor(issued++);
      const t0 = performance.now();
      try {
        const res = await send(agent, request);
        latencies.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const ok = res.status < 400 && (!opts.check || opts.check(request.url, res.status, res.body));
        opts.observe?.({ url: request.url, status: res.status, ok, ms: performance.now() - t0, at: Date.now() });
        if (!ok) {
          errors++;
          if (samples.length < 5) samples.push(`${res.status} ${request.url} ${res.body.slice(0, 200)}`);
        }
      } catch (error) {
        opts.observe?.({ url: request.url, status: 0, ok: false, ms: performance.now() - t0, at: Date.now() });
        errors++;
        statuses[0] = (statuses[0] ?? 0) + 1;
        if (samples.length < 5) samples.push(`exception ${request.url} ${String(error)}`);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    agent.destroy();
  }
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
