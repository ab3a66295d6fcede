// Edge read-path throughput: GET /api/v1/verify/:id and GET /c/:id on the real local stack (wrangler
// dev, workerd) beside a hello-world Worker on the same runtime, measured in the same run at the same
// concurrency. Reports req/s, p50, p99 and the ratio to hello-world (target ≥ 0.6 for the JSON
// verify, p99 < 50 ms). Run: npx node scripts/bench/edge.ts   (env: BENCH_SECONDS, BENCH_CONCURRENCY,
// BENCH_LOW_CONCURRENCY). The targets run interleaved (hello, verify, page, page, verify, hello) so
// that drift in the machine's load hits all of them alike; the load average is printed at both ends.
// With a fixed number in flight, latency ≈ in-flight / throughput (Little's law), so p99 is also
// measured at a low concurrency, where it shows the service time rather than the queue.
import os from "node:os";
import { startStack } from "../../e2e/support/stack.ts";
import { runLoad, type LoadResult } from "./load.ts";
import { startHello } from "./hello-worker.ts";
import { issueOneByOne, readCounter, seedOrg, waitForEdge } from "./stack-seed.ts";
import { runIfMain } from "./run-if-main.ts";
import { credentialPageUrl } from "../../shared/public-urls.ts";

export interface EdgeBenchResult {
  name: string;
  concurrency: number;
  seconds: number;
  hello: Figures;
  verifyJson: Figures & { ratio: number };
  page: Figures & { ratio: number };
  /** The same, at `lowConcurrency` in flight (latency without queueing). */
  lowConcurrency: number;
  helloLow: Figures;
  verifyJsonLow: Figures;
  originRpcDuringRun: number;
  loadAverage: { start: number[]; end: number[] };
}

interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

const CREDENTIALS = 50;

function figures(r: LoadResult): Figures {
  const round = (n: number) => Math.round(n * 10) / 10;
  return { rps: Math.round(r.rps), p50Ms: round(r.p50Ms), p99Ms: round(r.p99Ms), requests: r.requests, errors: r.errors };
}

// Two halves of one target measured at different moments: summed requests, mean rate and p50, worst p99.
function merge(a: LoadResult, b: LoadResult): LoadResult {
  return {
    ...a,
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    rps: (a.rps + b.rps) / 2,
    p50Ms: (a.p50Ms + b.p50Ms) / 2,
    p99Ms: Math.max(a.p99Ms, b.p99Ms),
    samples: [...a.samples, ...b.samples].slice(0, 5),
  };
}

const loadAverage = () => os.loadavg().map((n) => Math.round(n * 100) / 100);

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<EdgeBenchResult> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const lowConcurrency = Number(process.env.BENCH_LOW_CONCURRENCY ?? 4);
  // The stack's stdout carries its JSON log lines: drain them unparsed, so the load generator's
  // process spends nothing on the edge's logs that it does not spend on hello-world's.
  const stack = await startStack({ collectLines: false });
  const hello = await startHello();
  try {
    const org = await seedOrg(stack.originUrl, stack.adminToken);
    const ids = await issueOneByOne(stack.originUrl, org, CREDENTIALS);
    await waitForEdge(stack.edgeUrl, ids);
    const verifyUrls = ids.map((id) => `${stack.edgeUrl}/api/v1/verify/${id}`);
    const pageUrls = ids.map((id) => credentialPageUrl(stack.edgeUrl, id));
    const validOnly = (_url: string, _status: number, body: string) => body.includes('"status":"valid"');
    const load = (urls: string[], durationMs: number, check?: typeof validOnly, inFlight = concurrency) =>
      runLoad({ urls, concurrency: inFlight, durationMs, maxRequests: 500_000, check });
    const helloUrls = [`${hello.url}/`];

    // Warm-up: JIT, isolate caches, keep-alive connections.
    await load(helloUrls, 1500);
    await load(verifyUrls, 1500, validOnly);
    await load(pageUrls, 1500);
    const rpcBefore = await readCounter(`${stack.edgeUrl}/metrics`, "laurel_edge_origin_rpc_credential_projection_total");

    const loadStart = loadAverage();
    const half = (seconds * 1000) / 2;
    const hello1 = await load(helloUrls, half);
    const verify1 = await load(verifyUrls, half, validOnly);
    const page1 = await load(pageUrls, half);
    const page2 = await load(pageUrls, half);
    const verify2 = await load(verifyUrls, half, validOnly);
    const hello2 = await load(helloUrls, half);
    const helloLow = await load(helloUrls, half, undefined, lowConcurrency);
    const verifyLow = await load(verifyUrls, half, validOnly, lowConcurrency);
    const loadEnd = loadAverage();
    const rpcAfter = await readCounter(`${stack.edgeUrl}/metrics`, "laurel_edge_origin_rpc_credential_projection_total");

    const h = figures(merge(hello1, hello2));
    const verify = merge(verify1, verify2);
    const page = merge(page1, page2);
    const result: EdgeBenchResult = {
      name: "edge",
      concurrency,
      seconds,
      hello: h,
      verifyJson: { ...figures(verify), ratio: Math.round((verify.rps / h.rps) * 100) / 100 },
      page: { ...figures(page), ratio: Math.round((page.rps / h.rps) * 100) / 100 },
      lowConcurrency,
      helloLow: figures(helloLow),
      verifyJsonLow: figures(verifyLow),
      originRpcDuringRun: rpcAfter - rpcBefore,
      loadAverage: { start: loadStart, end: loadEnd },
    };
    const row = (name: string, f: Figures, ratio?: number) =>
      `${name.padEnd(26)} ${String(f.rps).padStart(7)} req/s   p50 ${f.p50Ms.toFixed(1).padStart(6)} ms   p99 ${f.p99Ms.toFixed(1).padStart(6)} ms   errors ${f.errors}${ratio === undefined ? "" : `   ratio ${ratio.toFixed(2)}`}`;
    console.log(`edge read path, ${concurrency} in flight, ${seconds} s per target, ${CREDENTIALS} credentials (loopback, wrangler dev, ${os.cpus().length} cores)`);
    console.log(`load average at start ${loadStart.join(" ")}`);
    console.log(row("hello-world Worker", h));
    console.log(row("GET /api/v1/verify/:id", result.verifyJson, result.verifyJson.ratio));
    console.log(row("GET /c/:id (HTML)", result.page, result.page.ratio));
    console.log(`at ${lowConcurrency} in flight:`);
    console.log(row("hello-world Worker", result.helloLow));
    console.log(row("GET /api/v1/verify/:id", result.verifyJsonLow, Math.round((result.verifyJsonLow.rps / result.helloLow.rps) * 100) / 100));
    console.log(`load average at end   ${loadEnd.join(" ")}`);
    console.log(
      result.originRpcDuringRun < 0
        ? "origin credential RPCs during the measured runs: n/a (the edge restarted: wrangler dev reloads on file changes)"
        : `origin credential RPCs during the measured runs: ${result.originRpcDuringRun}`,
    );
    const met = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log(
      `targets: verify ratio ${result.verifyJson.ratio.toFixed(2)} ≥ 0.6 → ${met(result.verifyJson.ratio >= 0.6)}; ` +
        `verify p99 < 50 ms → ${met(result.verifyJson.p99Ms < 50)} at ${concurrency} in flight (${result.verifyJson.p99Ms} ms), ` +
        `${met(result.verifyJsonLow.p99Ms < 50)} at ${lowConcurrency} in flight (${result.verifyJsonLow.p99Ms} ms)`,
    );
    if (verify.samples.length) console.log("verify error samples:", verify.samples);
    return result;
  } finally {
    await hello.stop();
    await stack.stop();
  }
}

runIfMain(import.meta.url, run);
