// The drill's options and printed report: defaults, refused arguments, and a report that says
// plainly when no alert arrived and which reconciliation check failed.
import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, parseOptions } from "./options.ts";
import { reconcile } from "./reconcile.ts";
import { formatReport, type DrillReport } from "./report.ts";

function report(overrides: Partial<DrillReport> = {}): DrillReport {
  return {
    date: "2026-11-29T22:00:00.000Z",
    machine: "2 cores",
    options: DEFAULT_OPTIONS,
    dataDir: "/tmp/laurel-drill-x",
    durationSeconds: 600,
    cohort: { batchId: "b1", credentials: 2, issueSeconds: 1.5, idempotency: { firstStatus: 202, retryStatus: 202, sameBatch: true, replayedHeader: "true" } },
    ceremony: {
      seconds: 150,
      requests: 10,
      byClass: { page: { requests: 10, errors: 1, errorRatio: 0.1, p50Ms: 12, p99Ms: 80, statuses: { 200: 9, 0: 1 } } },
      errorWindows: [{ atSeconds: 25, requests: 4, errors: 1 }],
      rate: [{ atSeconds: 0, rps: 2 }],
      secondBatch: null,
      revocations: { asked: 1, accepted: 1, maxAttempts: 2, failures: [] },
    },
    faults: [{ fault: "libSQL server paused", detail: "SIGSTOP", startedAt: 22.5, endedAt: 32.5 }],
    webhooks: { receivedIds: 3, redeliveries: 0, badSignatures: 0, answeredWhileDown: 0, pendingAfterDrain: 0, deadLettered: 0 },
    alerts: [],
    drainSeconds: 20,
    reconciliation: reconcile({ batches: [], credentials: [], revoked: [], webhooks: [], deadLettered: [], edge: new Map() }),
    notes: [],
    ...overrides,
  };
}

describe("drill options", () => {
  it("defaults to the 10-minute drill and takes --name=value", () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions(["--cohort=20", "--revocations=5", "--ceremony-seconds=40"])).toMatchObject({ cohort: 20, revocations: 5, ceremonySeconds: 40 });
  });

  it("refuses unknown, malformed and out-of-range arguments, naming them", () => {
    expect(() => parseOptions(["--cohrt=20"])).toThrow(/unknown argument "--cohrt=20"/);
    expect(() => parseOptions(["--cohort=0"])).toThrow(/--cohort must be a whole number from 1/);
    expect(() => parseOptions(["--cohort=2.5"])).toThrow(/--cohort/);
    expect(() => parseOptions(["--cohort=5", "--revocations=6"])).toThrow(/--revocations/);
  });
});

describe("drill report", () => {
  it("says plainly that no alert arrived, and shows the faults and the error windows", () => {
    const text = formatReport(report()).join("\n");
    expect(text).toContain("alerts: none arrived at the alert webhook");
    expect(text).toMatch(/22\.5 →\s+32\.5\s+libSQL server paused/);
    expect(text).toContain("25s 1/4");
    expect(text).toContain("reconciliation after 20 s of drain: PASSED");
  });

  it("lists alerts that arrived, and a failed check with its examples", () => {
    const failed = reconcile({ batches: [{ id: "b1", emails: ["a@x.test"] }], credentials: [], revoked: [], webhooks: [], deadLettered: [], edge: new Map() });
    const text = formatReport(
      report({ reconciliation: failed, alerts: [{ at: "2026-11-29T22:01:00.000Z", webhookId: "msg_a", type: "alert.firing", signatureOk: true, data: { name: "ErrorRatio" } }] }),
    ).join("\n");
    expect(text).toContain("alerts: 1 arrived");
    expect(text).toContain("alert.firing signature ok");
    expect(text).toContain("reconciliation after 20 s of drain: FAILED");
    expect(text).toContain("FAIL issued exactly once");
    expect(text).toContain("batch b1: no credential for a@x.test");
  });
});
