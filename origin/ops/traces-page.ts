// The /ops/traces page: a lookup form, and each trace found as a waterfall: a table (span, service,
// start offset and duration in ms, status) whose last column draws the span's bar. The bars are SVG
// rectangles sized by attributes, not inline styles, so the console's strict CSP holds.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { consoleCssVersion } from "../console/assets/assets.ts";
import type { TraceSpan } from "./traces-query.ts";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const KIND = ["", "internal", "server", "client", "producer", "consumer"];
/** Attributes worth a glance in the table (ids and names only). */
const SHOWN = ["laurel.request_id", "laurel.org_id", "http.route", "http.response.status_code", "messaging.destination.name", "laurel.job_type", "laurel.attempt", "laurel.outcome"];
const BAR_WIDTH = 1000;

/** Orders a trace's spans parent-before-children (by start time among siblings), with each one's depth. */
function tree(spans: TraceSpan[]): { span: TraceSpan; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: { span: TraceSpan; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const s of (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs)) {
      out.push({ span: s, depth });
      if (depth < 50) visit(s.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

function waterfall(traceId: string, spans: TraceSpan[]): Html {
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const rows = tree(spans);
  return html`<section aria-labelledby="t-${traceId}">
    <h2 id="t-${traceId}">Trace ${traceId}</h2>
    <!-- Wider than a phone: the table scrolls in its own box (focusable, so the keyboard scrolls it too), not the page. -->
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="t-${traceId}"><table>
      <caption>${spans.length} spans over ${total.toFixed(1)} ms, from ${new Date(start).toISOString()}</caption>
      <thead>
        <tr><th scope="col">Span</th><th scope="col">Service</th><th scope="col">Start (ms)</th><th scope="col">Duration (ms)</th><th scope="col">Status</th><th scope="col">Details</th><th scope="col">Timeline</th></tr>
      </thead>
      <tbody>
        ${rows.map(({ span, depth }) => {
          const x = ((span.startMs - start) / total) * BAR_WIDTH;
          const w = Math.max((span.durationMs / total) * BAR_WIDTH, 2);
          const details = SHOWN.filter((k) => span.attributes[k] !== undefined).map((k) => `${k}=${span.attributes[k]}`).join(" ");
          return html`<tr>
            <th scope="row">${"\u00a0\u00a0".repeat(depth)}${depth > 0 ? "↳ " : ""}${span.name} <small>(${KIND[span.kind] ?? "span"})</small></th>
            <td>${span.service}</td>
            <td>${(span.startMs - start).toFixed(1)}</td>
            <td>${span.durationMs.toFixed(1)}</td>
            <td>${span.status === 2 ? "error" : "ok"}</td>
            <td><small>${details}</small></td>
            <td><svg width="300" height="12" viewBox="0 0 ${BAR_WIDTH} 12" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="${x.toFixed(1)}" y="1" width="${w.toFixed(1)}" height="10" fill="${span.status === 2 ? "#b3261e" : "#1d4ed8"}"></rect></svg></td>
          </tr>`;
        })}
      </tbody>
    </table></div>
  </section>`;
}

/** The whole page: the form (prefilled), then `message` or each trace of `spans`. */
export async function tracesPage(opts: { requestId?: string; traceId?: string; spans?: TraceSpan[]; message?: string }): Promise<Html> {
  const v = await consoleCssVersion();
  const byTrace = new Map<string, TraceSpan[]>();
  for (const s of opts.spans ?? []) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Traces · Laurel operations</title>
    <link rel="stylesheet" href="/console/assets/console.css?v=${v}" />
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top"><span class="brand">Laurel operations</span></header>
    <main id="main">
      <h1>Traces</h1>
      <form method="get" action="/ops/traces">
        <div>
          <label for="f-requestId">Request id</label>
          <input id="f-requestId" name="requestId" value="${opts.requestId ?? ""}" maxlength="128" />
        </div>
        <div>
          <label for="f-traceId">or trace id</label>
          <input id="f-traceId" name="traceId" value="${opts.traceId ?? ""}" maxlength="32" />
        </div>
        <button type="submit">Show</button>
      </form>
      ${opts.message ? html`<p role="status">${opts.message}</p>` : ""}
      ${[...byTrace].map(([traceId, spans]) => waterfall(traceId, spans))}
    </main>
  </body>
</html>`;
}
