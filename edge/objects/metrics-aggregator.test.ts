// Metrics that survive isolates: requests recorded by separate recorders (what two isolates, or the
// edge and the origin processes, each hold) are summed by the one aggregator object, and /metrics
// serves the sums. What this shows and what it cannot: the test pool runs the Worker in one isolate,
// so the "other isolate" is a second MetricsRecorder with its own buffer, feeding the same Durable
// Object through the same RPC the Worker uses; the Worker's own requests reach it through
// finishRequest and waitUntil as in production.
import { afterEach, describe, expect, it, vi } from "vitest";
import { metricsAggregator } from "../../shared/observability/aggregator-rpc.ts";
import { minuteOf } from "../../shared/observability/metrics-points.ts";
import { MetricsRecorder, type RecordingIo } from "../../shared/observability/metrics-recorder.ts";
import { recordingIo } from "../../shared/observability/recording-io.ts";
import { BASE, call, sleep, testEnv } from "../test/fixtures.ts";

const aggregator = () => metricsAggregator(testEnv.METRICS!);
const pending: Promise<unknown>[] = [];
const io = (): RecordingIo => recordingIo(testEnv, (p) => pending.push(p));

afterEach(async () => {
  await Promise.allSettled(pending.splice(0));
});

/** The stack-wide count of `route` in /metrics (all status classes). */
async function requestsOf(route: string, service = "edge"): Promise<number> {
  const text = await (await call("/metrics")).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`laurel_requests_total{service="${service}",route="${route}",`)) sum += Number(line.split(" ").pop());
  }
  return sum;
}

describe("the stack-wide metrics aggregator", () => {
  it("sums the points of two recorders (two isolates) into one minute bucket and one total", async () => {
    const group = `/test/sum/${crypto.randomUUID()}`;
    const at = Date.now();
    const isolateA = new MetricsRecorder("edge");
    const isolateB = new MetricsRecorder("edge");
    for (let i = 0; i < 3; i++) isolateA.record({ kind: "request", group, status: 200, durationMs: 4, at }, {} as RecordingIo);
    isolateB.record({ kind: "request", group, status: 503, durationMs: 700, at }, {} as RecordingIo);
    isolateB.record({ kind: "request", group, status: 200, durationMs: 30, at }, {} as RecordingIo);
    expect(await isolateA.flush(aggregator())).toBe(true);
    expect(await isolateB.flush(aggregator())).toBe(true);

    const rows = (await aggregator().window(minuteOf(at), minuteOf(at))).filter((r) => r.group === group);
    expect(rows).toEqual([
      // cells: <=5: 3, <=50: 1 (30 ms), <=1000: 1 (700 ms)
      { service: "edge", kind: "request", group, count: 5, errors: 1, sumMs: 742, histogram: [3, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] },
    ]);
    const totals = (await aggregator().totals("edge")).series.filter((s) => s.group === group);
    expect(totals.map((s) => [s.statusClass, s.count, s.errors])).toEqual([
      ["2xx", 4, 0],
      ["5xx", 1, 1],
    ]);
  });

  it("/metrics shows the Worker's own requests and another isolate's, summed", async () => {
    const before = await requestsOf("/healthz");
    for (let i = 0; i < 4; i++) expect((await call("/healthz")).status).toBe(200);
    const otherIsolate = new MetricsRecorder("edge");
    otherIsolate.record({ kind: "request", group: "/healthz", status: 200, durationMs: 1 }, {} as RecordingIo);
    otherIsolate.record({ kind: "request", group: "/healthz", status: 200, durationMs: 1 }, {} as RecordingIo);
    await otherIsolate.flush(aggregator());
    // The Worker's own points leave in waitUntil within about a second; /metrics also flushes its
    // isolate's buffer first. Poll with a generous deadline rather than assume either.
    const deadline = Date.now() + 15_000;
    let now = await requestsOf("/healthz");
    while (now < before + 6 && Date.now() < deadline) {
      await sleep(200);
      now = await requestsOf("/healthz");
    }
    // The /metrics scrapes themselves are counted under their own route.
    expect(now).toBe(before + 6);
  });

  it("writes one Analytics Engine data point per request through the METRICS_EVENTS binding", async () => {
    const dataset = testEnv.METRICS_EVENTS!;
    expect(dataset).toBeDefined();
    const written = vi.spyOn(dataset, "writeDataPoint");
    try {
      const recorder = new MetricsRecorder("edge");
      recorder.record({ kind: "request", group: "/c/:id", status: 404, durationMs: 12, orgId: "org_1" }, io());
      recorder.record({ kind: "request", group: "/status/:listId", status: 500, durationMs: 3 }, io());
      expect(written.mock.calls).toEqual([
        [{ blobs: ["edge", "request", "/c/:id", "4xx", "org_1"], doubles: [12, 0, 404], indexes: ["org_1"] }],
        [{ blobs: ["edge", "request", "/status/:listId", "5xx", ""], doubles: [3, 1, 500], indexes: ["edge"] }],
      ]);
    } finally {
      written.mockRestore();
    }
  });

  it("keeps serving, and /metrics falls back to the isolate's figures, when the aggregator never answers", async () => {
    const stalled = {
      idFromName: (name: string) => testEnv.METRICS!.idFromName(name),
      get: () => ({ ingest: () => new Promise<void>(() => {}), totals: () => new Promise(() => {}) }),
    };
    const worker = (await import("../index.ts")).default;
    const env = { ...testEnv, METRICS: stalled } as unknown as typeof testEnv;
    const waits: Promise<unknown>[] = [];
    const exec = { waitUntil: (p: Promise<unknown>) => waits.push(p), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const health = await worker.fetch(new Request(`${BASE}/healthz`), env, exec);
    expect(health.status).toBe(200);
    const metrics = await worker.fetch(new Request(`${BASE}/metrics`), env, exec);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^# The metrics aggregator did not answer/);
    expect(text).toMatch(/laurel_requests_total\{service="edge",route="\/healthz",status="2xx"\} \d+/);
    // The scheduled flush gives up at its deadline rather than hanging the invocation.
    await Promise.all(waits);
  }, 20_000);

});
