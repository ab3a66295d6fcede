// /metrics of a Worker: the stack-wide figures of its service, summed by the aggregator over every
// isolate and process, in Prometheus text with the metric names the per-isolate view always had
// (ops/alerts.yml relies on them). When the aggregator does not answer in time, the isolate's own
// figures are served instead, marked by a comment line, so a scrape never fails because of it.
import { metricsAggregator, type MetricsAggregatorNamespace, type SeriesTotal } from "./aggregator-rpc.ts";
import { LATENCY_BUCKETS_MS } from "./metrics-points.ts";
import type { RequestMetrics } from "./metrics.ts";

const TOTALS_TIMEOUT_MS = 2000;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function seriesLines(s: SeriesTotal): string[] {
  const isJob = s.kind === "job";
  const base = isJob ? "laurel_jobs" : "laurel_request";
  const labels = `service="${escapeLabel(s.service)}",${isJob ? "job" : "route"}="${escapeLabel(s.group)}",status="${s.statusClass}"`;
  const total = isJob ? "laurel_jobs_total" : "laurel_requests_total";
  const errors = isJob ? "laurel_job_errors_total" : "laurel_request_errors_total";
  const duration = isJob ? "laurel_job_duration_ms" : `${base}_duration_ms`;
  const lines = [`${total}{${labels}} ${s.count}`, `${errors}{${labels}} ${s.errors}`];
  let cumulative = 0;
  LATENCY_BUCKETS_MS.forEach((le, i) => {
    cumulative += s.histogram[i] ?? 0;
    lines.push(`${duration}_bucket{${labels},le="${le}"} ${cumulative}`);
  });
  lines.push(`${duration}_bucket{${labels},le="+Inf"} ${s.count}`, `${duration}_sum{${labels}} ${s.sumMs.toFixed(1)}`, `${duration}_count{${labels}} ${s.count}`);
  return lines;
}

/** Renders the stack-wide figures of `metrics.service` (after flushing this isolate's buffer), or this isolate's own. */
export async function renderStackMetrics(metrics: RequestMetrics, namespace: MetricsAggregatorNamespace | undefined): Promise<string> {
  if (!namespace) return metrics.render();
  const aggregator = metricsAggregator(namespace);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // One deadline for the flush and the read together: a scrape waits at most TOTALS_TIMEOUT_MS.
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("aggregator deadline")), TOTALS_TIMEOUT_MS)));
    const totals = await Promise.race([metrics.recorder.flush(aggregator).then(() => aggregator.totals(metrics.service)), deadline]);
    const lines = [
      "# Stack-wide figures (every isolate and process), from the metrics aggregator.",
      "# TYPE laurel_requests_total counter",
      "# TYPE laurel_request_errors_total counter",
      "# TYPE laurel_request_duration_ms histogram",
      "# TYPE laurel_jobs_total counter",
      "# TYPE laurel_job_errors_total counter",
      "# TYPE laurel_job_duration_ms histogram",
    ];
    for (const s of totals.series) lines.push(...seriesLines(s));
    for (const c of totals.counters) lines.push(`# TYPE ${c.name} counter`, `${c.name}{service="${escapeLabel(c.service)}"} ${c.value}`);
    lines.push(...(await metrics.renderGauges()));
    return lines.join("\n") + "\n";
  } catch {
    return "# The metrics aggregator did not answer: this isolate's own figures only.\n" + (await metrics.render());
  } finally {
    clearTimeout(timer);
  }
}
