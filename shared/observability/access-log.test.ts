import { describe, expect, it } from "vitest";
import { AccessLogSampler, type AccessRecord } from "./access-log.ts";

const ok = (over: Partial<AccessRecord> = {}): AccessRecord => ({
  method: "GET",
  route: "/api/v1/verify/:id",
  status: 200,
  durationMs: 3,
  traced: false,
  ...over,
});

describe("AccessLogSampler", () => {
  it("writes 1 in N fast successful reads, marked with the sample rate", () => {
    const sampler = new AccessLogSampler({ sampleEvery: 10, summaryEveryMs: 60_000 });
    const decisions = Array.from({ length: 30 }, () => sampler.record(ok(), 1_000));
    const written = decisions.filter((d) => d.write);
    expect(written).toHaveLength(3);
    expect(written.every((d) => d.sampleRate === 10)).toBe(true);
  });

  it("always writes errors, 4xx, slow, non-GET, unmatched and traced requests", () => {
    const sampler = new AccessLogSampler({ sampleEvery: 1_000, slowMs: 250, summaryEveryMs: 60_000 });
    sampler.record(ok(), 0); // takes the first sampled slot
    for (const r of [
      ok({ status: 500 }),
      ok({ status: 404 }),
      ok({ status: 429 }),
      ok({ durationMs: 250 }),
      ok({ method: "POST", route: "/api/v1/verify" }),
      ok({ route: "unmatched" }),
      ok({ traced: true }),
    ]) {
      const d = sampler.record(r, 0);
      expect(d, JSON.stringify(r)).toMatchObject({ write: true });
      expect(d.sampleRate).toBeUndefined();
    }
    expect(sampler.record(ok(), 0).write).toBe(false);
  });

  it("summarises every request of a window, written or not, once the window has passed", () => {
    const sampler = new AccessLogSampler({ sampleEvery: 100, summaryEveryMs: 10_000 });
    for (let i = 1; i <= 100; i++) expect(sampler.record(ok({ durationMs: i }), 1_000).summary).toBeUndefined();
    sampler.record(ok({ status: 404, route: "/c/:id" }), 5_000);
    const next = sampler.record(ok(), 11_000);
    expect(next.summary).toMatchObject({
      windowMs: 10_000,
      requests: 101,
      linesWritten: 2,
      linesSuppressed: 99,
      routes: {
        "GET /api/v1/verify/:id": { count: 100, "2xx": 100, p50Ms: 50, p99Ms: 99, maxMs: 100 },
        "GET /c/:id": { count: 1, "4xx": 1 },
      },
    });
    // The request that closed the window starts the next one.
    expect(sampler.record(ok(), 21_000).summary).toMatchObject({ requests: 1 });
  });

  it("writes every line with sampleEvery 1", () => {
    const sampler = new AccessLogSampler({ sampleEvery: 1 });
    expect([0, 1, 2].map(() => sampler.record(ok(), 0))).toEqual([{ write: true }, { write: true }, { write: true }]);
  });
});
