// The figures /ops shows and /ops/api/summary returns: per service, the last hour's request rate,
// error ratio and p99 per route group, with per-minute series for the charts; jobs; queue backlog
// and age; dead letters; webhook delivery success; the alerts firing. Each source may fail on its
// own (the aggregator, the database): the summary then says so instead of failing whole.
import { metricsAggregator, type WindowRow } from "../../shared/observability/aggregator-rpc.ts";
import { histogramQuantile, minuteOf } from "../../shared/observability/metrics-points.ts";
import type { OriginEnv } from "../env.ts";
import type { AlertState } from "./alert-state.ts";
import { firingAlerts } from "./alerts.ts";
import { readQueueFigures, type QueueFigures } from "./queue-figures.ts";

export const SUMMARY_MINUTES = 60;

export interface GroupFigures {
  group: string;
  requests: number;
  errors: number;
  errorRatio: number;
  /** Upper bound of the bucket holding the 99th percentile (null: no traffic; "Infinity": over 5 s). */
  p99Ms: number | string | null;
}

export interface ServiceFigures {
  service: string;
  requests: number;
  requestsPerMinute: number;
  errorRatio: number;
  p99Ms: number | string | null;
  groups: GroupFigures[];
  /** One entry per minute of the window, oldest first. */
  perMinute: { minute: string; requests: number; errors: number }[];
}

export interface OpsSummary {
  generatedAt: string;
  windowMinutes: number;
  services: ServiceFigures[] | { unavailable: string };
  jobs: GroupFigures[] | { unavailable: string };
  counters: Record<string, number>;
  queues: QueueFigures | { unavailable: string };
  webhookDelivery: { attempts: number; succeeded: number; successRatio: number | null } | { unavailable: string };
  alerts: AlertState[] | { unavailable: string };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
const p99 = (h: number[]) => {
  const q = histogramQuantile(h, 0.99);
  return q === Infinity ? "Infinity" : q;
};
const addHist = (a: number[], b: number[]) => a.map((v, i) => v + (b[i] ?? 0));
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

function groupFigures(rows: WindowRow[]): GroupFigures[] {
  return rows
    .map((r) => ({ group: r.group, requests: r.count, errors: r.errors, errorRatio: ratio(r.errors, r.count), p99Ms: p99(r.histogram) }))
    .sort((a, b) => b.requests - a.requests);
}

function serviceFigures(service: string, rows: WindowRow[], perMinute: WindowRow[], from: number, to: number): ServiceFigures {
  const mine = rows.filter((r) => r.service === service && r.kind === "request");
  const requests = mine.reduce((a, r) => a + r.count, 0);
  const errors = mine.reduce((a, r) => a + r.errors, 0);
  const hist = mine.reduce((h, r) => addHist(h, r.histogram), new Array<number>(11).fill(0));
  const byMinute = new Map<number, { requests: number; errors: number }>();
  for (const r of perMinute) {
    if (r.service !== service || r.kind !== "request") continue;
    const m = byMinute.get(r.minute!) ?? { requests: 0, errors: 0 };
    m.requests += r.count;
    m.errors += r.errors;
    byMinute.set(r.minute!, m);
  }
  const series = [];
  for (let m = from; m <= to; m++) series.push({ minute: new Date(m * 60_000).toISOString(), ...(byMinute.get(m) ?? { requests: 0, errors: 0 }) });
  return {
    service,
    requests,
    requestsPerMinute: Math.round((requests / (to - from + 1)) * 100) / 100,
    errorRatio: ratio(errors, requests),
    p99Ms: p99(hist),
    groups: groupFigures(mine),
    perMinute: series,
  };
}

/** Builds the summary of the last SUMMARY_MINUTES minutes. */
export async function buildOpsSummary(env: OriginEnv, now = Date.now()): Promise<OpsSummary> {
  const to = minuteOf(now);
  const from = to - SUMMARY_MINUTES + 1;
  const aggregator = env.METRICS ? metricsAggregator(env.METRICS) : null;
  const noAggregator = Promise.reject(new Error("no METRICS aggregator binding"));
  noAggregator.catch(() => {});
  const [rows, perMinute, counters, alerts, queues] = await Promise.allSettled([
    aggregator ? aggregator.window(from, to) : noAggregator,
    aggregator ? aggregator.window(from, to, true) : noAggregator,
    aggregator ? aggregator.counterWindow(from, to) : noAggregator,
    aggregator ? firingAlerts(aggregator) : noAggregator,
    readQueueFigures(env, now),
  ]);
  const services =
    rows.status === "fulfilled" && perMinute.status === "fulfilled"
      ? ["edge", "origin"].map((s) => serviceFigures(s, rows.value, perMinute.value, from, to))
      : { unavailable: reason(rows.status === "rejected" ? rows.reason : (perMinute as PromiseRejectedResult).reason) };
  const jobs = rows.status === "fulfilled" ? groupFigures(rows.value.filter((r) => r.kind === "job")) : { unavailable: reason(rows.reason) };
  return {
    generatedAt: new Date(now).toISOString(),
    windowMinutes: SUMMARY_MINUTES,
    services,
    jobs,
    counters: counters.status === "fulfilled" ? Object.fromEntries(counters.value.map((c) => [`${c.service}:${c.name}`, c.value])) : {},
    queues: queues.status === "fulfilled" ? queues.value : { unavailable: reason(queues.reason) },
    webhookDelivery:
      queues.status === "fulfilled"
        ? { attempts: queues.value.webhookAttempts.lastHour, succeeded: queues.value.webhookAttempts.succeeded, successRatio: queues.value.webhookAttempts.lastHour === 0 ? null : ratio(queues.value.webhookAttempts.succeeded, queues.value.webhookAttempts.lastHour) }
        : { unavailable: reason(queues.reason) },
    alerts: alerts.status === "fulfilled" ? alerts.value : { unavailable: reason(alerts.reason) },
  };
}
