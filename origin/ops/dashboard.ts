// GET /ops (the operators' dashboard, HTML) and GET /ops/api/summary (the same figures as JSON,
// for scripts), both behind opsAccess(). Figures: summary.ts.
import type { Hono } from "hono";
import { html } from "hono/html";
import type { OriginHono } from "../env.ts";
import { requestChart } from "./charts.ts";
import { opsPage } from "./ops-html.ts";
import { buildOpsSummary, type GroupFigures, type OpsSummary } from "./summary.ts";

const percent = (r: number) => `${(r * 100).toFixed(2)} %`;
const ms = (v: number | string | null) => (v === null ? "–" : v === "Infinity" ? "> 5000 ms" : `≤ ${v} ms`);
const unavailable = (v: unknown): v is { unavailable: string } => typeof v === "object" && v !== null && "unavailable" in v;

function groupTable(caption: string, groups: GroupFigures[], label: string) {
  if (groups.length === 0) return html`<p>No ${label.toLowerCase()}s in the last hour.</p>`;
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${label}</th><th scope="col">Count</th><th scope="col">5xx / failed</th><th scope="col">Error ratio</th><th scope="col">p99</th></tr></thead>
    <tbody>${groups.map((g) => html`<tr><th scope="row"><code>${g.group}</code></th><td>${g.requests}</td><td>${g.errors}</td><td>${percent(g.errorRatio)}</td><td>${ms(g.p99Ms)}</td></tr>`)}</tbody>
  </table>`;
}

function body(s: OpsSummary) {
  const alerts = unavailable(s.alerts)
    ? html`<p role="alert">Alerts unknown: ${s.alerts.unavailable}</p>`
    : s.alerts.length === 0
      ? html`<p>No alert is firing.</p>`
      : html`<ul>${s.alerts.map((a) => html`<li><strong>${a.severity}</strong> ${a.ruleId} since ${a.startedAt}: ${a.summary}</li>`)}</ul>`;
  const services = unavailable(s.services)
    ? html`<p role="alert">Request figures unavailable: ${s.services.unavailable}</p>`
    : s.services.map(
        (v) => html`<section aria-labelledby="svc-${v.service}">
          <h2 id="svc-${v.service}">${v.service}</h2>
          <p>${v.requestsPerMinute} requests per minute · error ratio ${percent(v.errorRatio)} · p99 ${ms(v.p99Ms)}</p>
          ${requestChart(`${v.service} requests per minute, last hour`, v.perMinute)}
          ${groupTable(`${v.service}: per route group, last hour`, v.groups, "Route")}
        </section>`,
      );
  const queues = unavailable(s.queues)
    ? html`<p role="alert">Queue figures unavailable (the database did not answer): ${s.queues.unavailable}</p>`
    : html`<table>
        <caption>Work still owed, from the database</caption>
        <thead><tr><th scope="col">Queue</th><th scope="col">Backlog</th><th scope="col">Oldest (s)</th></tr></thead>
        <tbody>${s.queues.queues.map((q) => html`<tr><th scope="row">${q.queue}</th><td>${q.backlog}</td><td>${q.oldestAgeSeconds}</td></tr>`)}</tbody>
      </table>
      <p>Dead letters not replayed: ${s.queues.deadLetters} · batches running: ${s.queues.batches.running} (${s.queues.batches.rowsDone} of ${s.queues.batches.rowsTotal} rows) · LMS syncs running: ${s.queues.integrationSyncs.running} (${s.queues.integrationSyncs.learnersDone} of ${s.queues.integrationSyncs.learnersTotal} learners)</p>`;
  const webhooks = unavailable(s.webhookDelivery)
    ? html`<p>Webhook figures unavailable.</p>`
    : html`<p>Webhook attempts in the last hour: ${s.webhookDelivery.attempts}, answered 2xx: ${s.webhookDelivery.succeeded}${s.webhookDelivery.successRatio === null ? "" : ` (${percent(s.webhookDelivery.successRatio)})`}.</p>`;
  return html`<p>Stack-wide figures of the last ${s.windowMinutes} minutes, at ${s.generatedAt}. JSON: <a href="/ops/api/summary">/ops/api/summary</a>.</p>
    <section aria-labelledby="alerts-h"><h2 id="alerts-h">Alerts firing</h2>${alerts}</section>
    ${services}
    <section aria-labelledby="jobs-h"><h2 id="jobs-h">Queue jobs</h2>${unavailable(s.jobs) ? html`<p>Job figures unavailable.</p>` : groupTable("Jobs per type, last hour (failed: retried)", s.jobs, "Job")}</section>
    <section aria-labelledby="queues-h"><h2 id="queues-h">Queues</h2>${queues}</section>
    <section aria-labelledby="webhooks-h"><h2 id="webhooks-h">Webhook delivery</h2>${webhooks}</section>
    <!-- Trace lookup: the /ops/traces page (tracing) answers this form. -->
    <section aria-labelledby="traces-h"><h2 id="traces-h">Trace lookup</h2>
      <form method="get" action="/ops/traces"><label for="trace-request-id">Request id</label> <input id="trace-request-id" name="requestId" /> <button type="submit">Show trace</button></form>
    </section>`;
}

export function registerOpsDashboard(ops: Hono<OriginHono>): void {
  ops.get("/", async (c) => c.html(await opsPage("Operations", body(await buildOpsSummary(c.env)))));
  ops.get("/api/summary", async (c) => c.json(await buildOpsSummary(c.env)));
}
