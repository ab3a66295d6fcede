// `npm run bench -- peak`: the graduation-day peak of docs/capacity.md at this machine's scale, on
// the real local stack (npm start's launcher: wrangler dev/workerd for both Workers, the libSQL
// server). It measures what the capacity model needs per request, so the model's figures come
// from measurement, not guesses:
//   1. each request class alone (hello-world Worker first, as the baseline of the same run):
//      req/s, p50/p99, CPU ms per request of each process group (edge workerd, origin workerd,
//      libSQL server) read from /proc, and the edge's counters per request (KV reads, reads past
//      the isolate toward the status authority, origin RPCs);
//   2. the modelled mix (PEAK_MIX) while a batch of a second org is issued at the same time:
//      each component's share of the CPU, the same counters per request, and the batch's rate.
// CPU from /proc includes wrangler dev's own proxying, which production does not have: compare
// classes with each other and with hello-world (measured the same way), not with Cloudflare's
// CPU-time limits directly. Linux only (/proc). Env: BENCH_SECONDS (per class, default 4),
// BENCH_CONCURRENCY (default 16), BENCH_CEREMONY (credentials on the list, default 200),
// BENCH_BATCH (the concurrent batch, default 100).
import fs from "node:fs";
import os from "node:os";
import { startStack } from "../../e2e/support/stack.ts";
import { credentialUrls } from "../../shared/public-urls.ts";
import { runLoad, type LoadResult } from "./load.ts";
import { issueBatch, seedOrg, waitForEdge } from "./stack-seed.ts";
import { startHello } from "./hello-worker.ts";
import { runIfMain } from "./run-if-main.ts";

/** Share of each request class in the peak (docs/capacity.md "The peak's shape"). */
export const PEAK_MIX = { page: 35, badge: 35, verifyJson: 15, statusList: 10, didDocument: 5 } as const;
type RequestClass = keyof typeof PEAK_MIX;

const COMPONENTS = ["edge", "origin", "libsql"] as const;
type Component = (typeof COMPONENTS)[number];

// Edge counters reported per request (Prometheus names on the edge's /metrics).
const EDGE_COUNTERS = {
  kvReads: "laurel_edge_kv_reads_total",
  statusAuthorityTierReads: "laurel_edge_status_authority_reads_total",
  statusLocationCacheHits: "laurel_edge_status_location_cache_hits_total",
  originRpcs: "laurel_edge_origin_rpc_",
} as const;

const CLK_TCK_MS = 10; // Linux USER_HZ is 100 on every architecture Node supports.

/** CPU ms used so far by every live process of the given process group (utime + stime). */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command (which may hold spaces) in parentheses: state is field 3.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
      ticks += Number(fields[11]) + Number(fields[12]); // fields 14, 15: utime, stime
    } catch {
      // The process ended between readdir and read.
    }
  }
  return ticks * CLK_TCK_MS;
}

/** This process's group (npm's): besides this process, only the hello-world Worker's workerd works in it. */
function ownGroup(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

/** CPU ms of the hello-world Worker so far: this process group's CPU minus this process's own. */
function helloCpuMs(): number {
  const self = process.cpuUsage();
  return groupCpuMs(ownGroup()) - (self.user + self.system) / 1000;
}

async function edgeCounters(edgeUrl: string): Promise<Record<keyof typeof EDGE_COUNTERS, number>> {
  const text = await (await fetch(`${edgeUrl}/metrics`)).text();
  const sum = (prefix: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith(prefix) && !line.startsWith("#"))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
  return Object.fromEntries(Object.entries(EDGE_COUNTERS).map(([key, name]) => [key, sum(name)])) as Record<keyof typeof EDGE_COUNTERS, number>;
}

interface Measured {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** CPU ms per request of each process group, and of this load generator. */
  cpuMsPerRequest: Record<Component | "loadGenerator", number>;
  /** Edge counters per request. */
  perRequest: Record<keyof typeof EDGE_COUNTERS, number>;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `load` and reports it with the CPU and counters it cost. */
async function measure(pgids: Record<Component, number>, edgeUrl: string, load: () => Promise<LoadResult>): Promise<Measured> {
  const cpuBefore = Object.fromEntries(COMPONENTS.map((c) => [c, groupCpuMs(pgids[c])])) as Record<Component, number>;
  const selfBefore = process.cpuUsage();
  const countersBefore = await edgeCounters(edgeUrl);
  const result = await load();
  const countersAfter = await edgeCounters(edgeUrl);
  const self = process.cpuUsage(selfBefore);
  const n = Math.max(1, result.requests);
  const cpu = Object.fromEntries(COMPONENTS.map((c) => [c, round((groupCpuMs(pgids[c]) - cpuBefore[c]) / n, 3)])) as Record<Component, number>;
  return {
    rps: Math.round(result.rps),
    p50Ms: round(result.p50Ms, 1),
    p99Ms: round(result.p99Ms, 1),
    requests: result.requests,
    errors: result.errors,
    cpuMsPerRequest: { ...cpu, loadGenerator: round((self.user + self.system) / 1000 / n, 3) },
    perRequest: Object.fromEntries(
      Object.keys(EDGE_COUNTERS).map((key) => {
        const k = key as keyof typeof EDGE_COUNTERS;
        return [k, round((countersAfter[k] - countersBefore[k]) / n, 4)];
      }),
    ) as Record<keyof typeof EDGE_COUNTERS, number>,
  };
}

export interface PeakBenchResult {
  name: "peak";
  concurrency: number;
  secondsPerClass: number;
  ceremony: number;
  /** The baseline: a hello-world Worker on the same runtime, with its CPU ms per request measured the same way. */
  hello: { rps: number; p50Ms: number; p99Ms: number; cpuMsPerRequest: number };
  classes: Record<RequestClass, Measured & { ratioToHello: number }>;
  mix: Measured & { cpuShare: Record<Component, number>; concurrentBatch: { credentials: number; seconds: number; perSecond: number } };
  loadAverage: { start: number[]; end: number[] };
}

/** Request `i` of the modelled mix: classes interleaved in PEAK_MIX proportions. */
function mixPicker(urlsOf: Record<RequestClass, string[]>): (i: number) => { url: string } {
  const wheel: RequestClass[] = [];
  for (const [cls, weight] of Object.entries(PEAK_MIX)) for (let k = 0; k < weight; k++) wheel.push(cls as RequestClass);
  // A fixed shuffle (stride coprime with 100) spreads each class over the wheel.
  const spread = wheel.map((_, k) => wheel[(k * 37) % wheel.length]!);
  return (i) => {
    const urls = urlsOf[spread[i % spread.length]!];
    return { url: urls[Math.floor(i / spread.length) % urls.length]! };
  };
}

/** Runs the peak benchmark and prints its figures. */
export async function run(): Promise<PeakBenchResult> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const ceremony = Number(process.env.BENCH_CEREMONY ?? 200);
  const batchSize = Number(process.env.BENCH_BATCH ?? 100);
  const loadAverage = () => os.loadavg().map((n) => round(n));
  const stack = await startStack({ collectLines: false });
  const hello = await startHello();
  try {
    const pgids = Object.fromEntries(
      COMPONENTS.map((c) => {
        const pid = stack.childPid(c);
        if (!pid) throw new Error(`the launcher logged no PID for "${c}"`);
        return [c, pid];
      }),
    ) as Record<Component, number>;

    // The ceremony: one org, one batch, every credential on the same status list.
    const org = await seedOrg(stack.originUrl, stack.adminToken);
    const ids = await issueBatch(stack.originUrl, org, ceremony);
    await waitForEdge(stack.edgeUrl, ids);
    const sample = await (await fetch(credentialUrls(stack.edgeUrl, ids[0]!).json)).text();
    const statusListUrl = /"statusListCredential"\s*:\s*"([^"]+)"/.exec(sample)?.[1];
    if (!statusListUrl) throw new Error("the credential names no status list");
    const urlsOf: Record<RequestClass, string[]> = {
      page: ids.map((id) => credentialUrls(stack.edgeUrl, id).page),
      badge: ids.map((id) => credentialUrls(stack.edgeUrl, id).badge),
      verifyJson: ids.map((id) => `${stack.edgeUrl}/api/v1/verify/${id}`),
      statusList: [statusListUrl.replace(/^https?:\/\/[^/]+/, stack.edgeUrl)],
      didDocument: [`${stack.edgeUrl}/issuers/${org.slug}/did.json`],
    };
    const load = (opts: { urls?: string[]; requestFor?: (i: number) => { url: string } }, durationMs: number) =>
      runLoad({ ...opts, concurrency, durationMs, maxRequests: 1_000_000 });

    // Warm-up: JIT, isolate caches, keep-alive connections, badge images baked.
    await load({ urls: [`${hello.url}/`] }, 1000);
    for (const urls of Object.values(urlsOf)) await load({ urls }, 1000);

    const loadStart = loadAverage();
    const helloCpuBefore = helloCpuMs();
    const helloRun = await load({ urls: [`${hello.url}/`] }, seconds * 1000);
    const helloCpu = round((helloCpuMs() - helloCpuBefore) / Math.max(1, helloRun.requests), 3);
    const helloFigures = { rps: Math.round(helloRun.rps), p50Ms: round(helloRun.p50Ms, 1), p99Ms: round(helloRun.p99Ms, 1), cpuMsPerRequest: helloCpu };
    const classes = {} as PeakBenchResult["classes"];
    for (const cls of Object.keys(PEAK_MIX) as RequestClass[]) {
      const m = await measure(pgids, stack.edgeUrl, () => load({ urls: urlsOf[cls] }, seconds * 1000));
      classes[cls] = { ...m, ratioToHello: round(m.rps / helloFigures.rps) };
    }

    // The mix, with a second org's batch issued at the same time (the origin, queues and database busy).
    const other = await seedOrg(stack.originUrl, stack.adminToken, `peak-batch-${Date.now().toString(36)}`);
    const batchStarted = Date.now();
    const batch = issueBatch(stack.originUrl, other, batchSize).then(() => (Date.now() - batchStarted) / 1000);
    const mixed = await measure(pgids, stack.edgeUrl, () => load({ requestFor: mixPicker(urlsOf) }, seconds * 2 * 1000));
    const batchSeconds = await batch;
    const totalCpu = COMPONENTS.reduce((sum, c) => sum + mixed.cpuMsPerRequest[c], 0) || 1;
    const loadEnd = loadAverage();

    const result: PeakBenchResult = {
      name: "peak",
      concurrency,
      secondsPerClass: seconds,
      ceremony,
      hello: helloFigures,
      classes,
      mix: {
        ...mixed,
        cpuShare: Object.fromEntries(COMPONENTS.map((c) => [c, round(mixed.cpuMsPerRequest[c] / totalCpu)])) as Record<Component, number>,
        concurrentBatch: { credentials: batchSize, seconds: round(batchSeconds, 1), perSecond: round(batchSize / batchSeconds, 1) },
      },
      loadAverage: { start: loadStart, end: loadEnd },
    };
    print(result);
    return result;
  } finally {
    await hello.stop();
    await stack.stop();
  }
}

function print(r: PeakBenchResult): void {
  const cpu = (m: Measured) => COMPONENTS.map((c) => `${c} ${m.cpuMsPerRequest[c].toFixed(2)}`).join("  ");
  const counters = (m: Measured) => Object.entries(m.perRequest).map(([k, v]) => `${k} ${v}`).join("  ");
  console.log(`peak shape at this machine's scale: ${r.ceremony} credentials on one list, ${r.concurrency} in flight, ${r.secondsPerClass} s per class (loopback, wrangler dev, ${os.cpus().length} cores)`);
  console.log(`load average at start ${r.loadAverage.start.join(" ")}`);
  console.log(`${"hello-world Worker".padEnd(22)} ${String(r.hello.rps).padStart(6)} req/s  p50 ${r.hello.p50Ms} ms  p99 ${r.hello.p99Ms} ms  CPU ms/req ${r.hello.cpuMsPerRequest.toFixed(2)}`);
  for (const [cls, m] of Object.entries(r.classes)) {
    console.log(`${cls.padEnd(22)} ${String(m.rps).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  ratio ${m.ratioToHello.toFixed(2)}  errors ${m.errors}`);
    console.log(`${"".padEnd(22)} CPU ms/req: ${cpu(m)}  loadgen ${m.cpuMsPerRequest.loadGenerator.toFixed(2)}  edge/hello ${(m.cpuMsPerRequest.edge / Math.max(0.001, r.hello.cpuMsPerRequest)).toFixed(1)}×`);
    console.log(`${"".padEnd(22)} per request: ${counters(m)}`);
  }
  const m = r.mix;
  console.log(`mix ${JSON.stringify(PEAK_MIX)} + concurrent batch:`);
  console.log(`${"".padEnd(22)} ${String(m.rps).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  errors ${m.errors}`);
  console.log(`${"".padEnd(22)} CPU ms/req: ${cpu(m)}  share: ${COMPONENTS.map((c) => `${c} ${Math.round(m.cpuShare[c] * 100)}%`).join("  ")}`);
  console.log(`${"".padEnd(22)} per request: ${counters(m)}`);
  console.log(`${"".padEnd(22)} batch of ${m.concurrentBatch.credentials} in ${m.concurrentBatch.seconds} s (${m.concurrentBatch.perSecond}/s)`);
  console.log(`load average at end   ${r.loadAverage.end.join(" ")}`);
}

runIfMain(import.meta.url, run);
