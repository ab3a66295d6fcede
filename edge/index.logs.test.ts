// The edge's access log policy (README "Logs"): hot successful reads are sampled, while errors and
// traced requests always get their line, and every answer carries its request id.
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, seedWorld } from "./test/fixtures.ts";

function requestLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .map((args) => {
      try {
        return JSON.parse(String(args[0])) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((line) => line.message === "request");
}

describe("edge access log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes a fraction of fast successful reads, yet stamps every answer with a request id", async () => {
    const { creds } = await seedWorld();
    const spy = vi.spyOn(console, "log");
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await call(`/api/v1/verify/${creds[0]!.id}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      ids.add(res.headers.get("x-request-id") ?? "");
    }
    await (await call("/healthz", { headers: { "x-request-id": "traced-edge-0" } })).arrayBuffer();
    expect(requestLines(spy).some((l) => l.requestId === "traced-edge-0")).toBe(true); // the spy sees the edge's lines
    expect(ids.size).toBe(50);
    expect(ids.has("")).toBe(false);
    const lines = requestLines(spy).filter((l) => l.route === "/api/v1/verify/:id" && l.status === 200);
    // 1 in 100 sampled, plus any request slower than the slow threshold.
    const sampled = lines.filter((l) => l.sampleRate === 100);
    expect(sampled.length).toBeLessThanOrEqual(1);
    expect(lines.length - sampled.length).toBe(lines.filter((l) => Number(l.durationMs) >= 250).length);
  });

  it("always writes the line of a traced request and of an error", async () => {
    const spy = vi.spyOn(console, "log"); // info and warn lines; only error lines go to console.error
    const traced = await call("/healthz", { headers: { "x-request-id": "traced-edge-1" } });
    expect(traced.headers.get("x-request-id")).toBe("traced-edge-1");
    const missing = await call("/api/v1/verify/00000000-0000-4000-8000-000000000000", { headers: { "x-request-id": "missing-edge-1" } });
    expect(missing.status).toBe(404);
    const untracedMissing = await call("/c/not-a-uuid/embed");
    expect(untracedMissing.status).toBe(404);
    const lines = requestLines(spy);
    expect(lines.find((l) => l.requestId === "traced-edge-1")).toMatchObject({ level: "info", status: 200, route: "/healthz" });
    expect(lines.find((l) => l.requestId === "missing-edge-1")).toMatchObject({ level: "warn", status: 404 });
    expect(lines.find((l) => l.requestId === untracedMissing.headers.get("x-request-id"))).toMatchObject({ level: "warn", status: 404 });
  });
});
