// The drill's report: the JSON written to the data folder (drill-report.json) and the text printed.
import type { ClassFigures } from "./client-figures.ts";
import type { DrillOptions } from "./options.ts";
import type { ReceivedAlert } from "./receiver.ts";
import type { Reconciliation } from "./reconcile.ts";
import type { FaultRecord } from "./stack-faults.ts";

export interface DrillReport {
  date: string;
  machine: string;
  options: DrillOptions;
  dataDir: string;
  durationSeconds: number;
  cohort: {
    batchId: string;
    credentials: number;
    issueSeconds: number;
    idempotency: { firstStatus: number; retryStatus: number; sameBatch: boolean; replayedHeader: string | null };
  };
  ceremony: {
    seconds: number;
    requests: number;
    byClass: Record<string, ClassFigures>;
    errorWindows: { atSeconds: number; requests: number; errors: number }[];
    rate: { atSeconds: number; rps: number }[];
    secondBatch: { id: string; attempts: number; acceptedAtSeconds: number; total: number } | null;
    revocations: { asked: number; accepted: number; maxAttempts: number; failures: string[] };
  };
  faults: FaultRecord[];
  webhooks: { receivedIds: number; redeliveries: number; badSignatures: number; answeredWhileDown: number; pendingAfterDrain: number; deadLettered: number };
  alerts: ReceivedAlert[];
  drainSeconds: number;
  reconciliation: Reconciliation;
  notes: string[];
}

/** The report as printed lines. */
export function formatReport(r: DrillReport): string[] {
  const lines: string[] = [];
  lines.push(`Graduation-day drill, ${r.date} (${r.machine}); ${r.durationSeconds} s in all`);
  lines.push(`options ${JSON.stringify(r.options)}; data folder ${r.dataDir}`);
  const idem = r.cohort.idempotency;
  lines.push(`cohort: ${r.cohort.credentials} credentials by batch in ${r.cohort.issueSeconds} s; upload retried with the same Idempotency-Key: ${idem.retryStatus}, same batch ${idem.sameBatch}, Idempotency-Replayed ${idem.replayedHeader ?? "absent"}`);
  lines.push(`ceremony: ${r.ceremony.seconds} s, ${r.ceremony.requests} scans served; peak ${Math.max(0, ...r.ceremony.rate.map((w) => w.rps))} req/s (5 s windows)`);
  lines.push(`  ${"route class".padEnd(12)} ${"requests".padStart(9)} ${"errors".padStart(7)} ${"ratio".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  statuses`);
  for (const [name, c] of Object.entries(r.ceremony.byClass)) {
    lines.push(`  ${name.padEnd(12)} ${String(c.requests).padStart(9)} ${String(c.errors).padStart(7)} ${(c.errorRatio * 100).toFixed(2).padStart(6)}% ${String(c.p50Ms).padStart(8)} ${String(c.p99Ms).padStart(8)}  ${JSON.stringify(c.statuses)}`);
  }
  const sb = r.ceremony.secondBatch;
  lines.push(sb ? `  second batch ${sb.id} (${sb.total}) accepted at ${sb.acceptedAtSeconds.toFixed(1)} s after ${sb.attempts} attempt(s)` : "  second batch: not accepted");
  const rv = r.ceremony.revocations;
  lines.push(`  revocations: ${rv.accepted} of ${rv.asked} accepted (at most ${rv.maxAttempts} attempts for one)${rv.failures.length ? `; failed: ${rv.failures.slice(0, 5).join("; ")}` : ""}`);
  lines.push("faults (seconds since the ceremony started):");
  for (const f of r.faults) lines.push(`  ${String(f.startedAt).padStart(6)} → ${String(f.endedAt ?? "?").padStart(6)}  ${f.fault}: ${f.detail}${f.error ? ` — ERROR ${f.error}` : ""}`);
  lines.push(`client errors by 5 s window: ${r.ceremony.errorWindows.length ? r.ceremony.errorWindows.map((w) => `${w.atSeconds}s ${w.errors}/${w.requests}`).join(", ") : "none"}`);
  const w = r.webhooks;
  lines.push(`webhooks: ${w.receivedIds} webhook-ids received, ${w.redeliveries} redeliveries, ${w.answeredWhileDown} answered 503 while down, ${w.badSignatures} bad signatures; after the drain ${w.pendingAfterDrain} pending, ${w.deadLettered} dead-lettered`);
  if (r.alerts.length === 0) lines.push("alerts: none arrived at the alert webhook (ALERT_WEBHOOK_URL): this stack delivers no alerts");
  else {
    lines.push(`alerts: ${r.alerts.length} arrived at the alert webhook`);
    for (const a of r.alerts) lines.push(`  ${a.at} ${a.type} signature ${a.signatureOk ? "ok" : "BAD"} ${JSON.stringify(a.data).slice(0, 160)}`);
  }
  lines.push(`reconciliation after ${r.drainSeconds} s of drain: ${r.reconciliation.ok ? "PASSED" : "FAILED"}`);
  for (const c of r.reconciliation.checks) {
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.summary}`);
    for (const e of c.examples) lines.push(`         ${e}`);
  }
  for (const note of r.notes) lines.push(`note: ${note}`);
  lines.push(`report: ${r.dataDir}/drill-report.json`);
  return lines;
}

export function printReport(r: DrillReport): void {
  console.log(formatReport(r).join("\n"));
}
