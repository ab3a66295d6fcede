// The overview's activity chart: credentials issued and verifications per day over the last 30 days,
// as a server-rendered SVG (no script, no third-party request) with the same figures as a table for
// screen readers and anyone who prefers numbers. Hand-written because it is two polylines and a
// few labels: a charting library would add a client bundle for what 40 lines of SVG do.
// Colours are SVG presentation attributes, not inline styles, so the strict CSP still holds.
import { html } from "hono/html";
import type { Html } from "../html.ts";

export interface ChartDay {
  date: string;
  issued: number;
  verifications: number;
}

const WIDTH = 600;
const HEIGHT = 200;
const PAD = { left: 36, right: 8, top: 10, bottom: 24 };
/** Contrast ≥ 3:1 against white for graphical objects (WCAG 1.4.11). */
export const SERIES = [
  { key: "issued", label: "Issued", colour: "#0b57d0", dash: "" },
  { key: "verifications", label: "Verifications", colour: "#b3261e", dash: "6 4" },
] as const;

/** A "nice" top for the y axis: 1, 2 or 5 times a power of ten, at least 1. */
export function axisTop(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** The polyline points of one series, days spread evenly over the plot. */
export function seriesPoints(values: readonly number[], top: number): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = values.length > 1 ? plotW / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(PAD.left + i * step).toFixed(1)},${(PAD.top + plotH - (v / top) * plotH).toFixed(1)}`)
    .join(" ");
}

/** The chart (decorative to assistive technology beyond its title and summary) and its table. */
export function activityChart(days: readonly ChartDay[]): Html {
  const totals = { issued: days.reduce((n, d) => n + d.issued, 0), verifications: days.reduce((n, d) => n + d.verifications, 0) };
  const top = axisTop(Math.max(0, ...days.map((d) => Math.max(d.issued, d.verifications))));
  const first = days[0]?.date ?? "";
  const last = days.at(-1)?.date ?? "";
  const baseline = HEIGHT - PAD.bottom;
  const summary = `${totals.issued} credentials issued and ${totals.verifications} verifications from ${first} to ${last}.`;
  return html`<figure class="chart">
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" focusable="false">
        <title id="chart-title">Issued and verified per day, last ${days.length} days</title>
        <desc id="chart-desc">${summary}</desc>
        <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}" stroke="#6b7280" />
        <line x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}" stroke="#6b7280" />
        <line x1="${PAD.left}" y1="${PAD.top}" x2="${WIDTH - PAD.right}" y2="${PAD.top}" stroke="#e5e7eb" />
        <text x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end" font-size="11" fill="#1b1f24">${top}</text>
        <text x="${PAD.left - 4}" y="${baseline}" text-anchor="end" font-size="11" fill="#1b1f24">0</text>
        <text x="${PAD.left}" y="${HEIGHT - 6}" font-size="11" fill="#1b1f24">${first}</text>
        <text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end" font-size="11" fill="#1b1f24">${last}</text>
        ${SERIES.map(
          (s) => html`<polyline data-series="${s.key}" points="${seriesPoints(days.map((d) => d[s.key]), top)}" fill="none" stroke="${s.colour}" stroke-width="2" ${s.dash ? html`stroke-dasharray="${s.dash}"` : ""} />`,
        )}
      </svg>
      <figcaption>
        <ul class="legend">
          ${SERIES.map((s) => html`<li><svg viewBox="0 0 24 8" width="24" height="8" aria-hidden="true" focusable="false"><line x1="0" y1="4" x2="24" y2="4" stroke="${s.colour}" stroke-width="3" ${s.dash ? html`stroke-dasharray="${s.dash}"` : ""} /></svg> ${s.label}: ${totals[s.key]}</li>`)}
        </ul>
      </figcaption>
    </figure>
    <details>
      <summary>The figures per day, as a table</summary>
      <div class="table-wrap"><table>
        <caption>Issued and verified per day (UTC)</caption>
        <thead><tr><th scope="col">Day</th><th scope="col">Issued</th><th scope="col">Verifications</th></tr></thead>
        <tbody>${days.map((d) => html`<tr><th scope="row">${d.date}</th><td>${d.issued}</td><td>${d.verifications}</td></tr>`)}</tbody>
      </table></div>
    </details>`;
}
