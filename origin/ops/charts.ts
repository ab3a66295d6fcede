// Small server-rendered SVG charts for /ops: no script, no third-party request, and a text
// alternative (role="img", <title> and <desc> naming the figures) for screen readers.
import { html } from "hono/html";

const WIDTH = 360;
const HEIGHT = 80;

/** A bar per minute: requests in blue, the 5xx part of each bar in red. */
export function requestChart(label: string, points: { minute: string; requests: number; errors: number }[]) {
  const max = Math.max(1, ...points.map((p) => p.requests));
  const step = WIDTH / Math.max(1, points.length);
  const total = points.reduce((a, p) => a + p.requests, 0);
  const errors = points.reduce((a, p) => a + p.errors, 0);
  const peak = Math.max(0, ...points.map((p) => p.requests));
  const id = label.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const bars = points.map((p, i) => {
    const h = (p.requests / max) * HEIGHT;
    const e = (p.errors / max) * HEIGHT;
    const x = (i * step).toFixed(1);
    const w = Math.max(1, step - 1).toFixed(1);
    return html`<rect x="${x}" y="${(HEIGHT - h).toFixed(1)}" width="${w}" height="${h.toFixed(1)}" fill="#1d4ed8"></rect>${e > 0 ? html`<rect x="${x}" y="${(HEIGHT - e).toFixed(1)}" width="${w}" height="${e.toFixed(1)}" fill="#b91c1c"></rect>` : ""}`;
  });
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">
    <title id="${id}-t">${label}</title>
    <desc id="${id}-d">${total} requests over the last ${points.length} minutes, ${errors} of them 5xx; busiest minute ${peak} requests.</desc>
    <rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#f8fafc"></rect>
    ${bars}
  </svg>`;
}
