// The /ops pages' layout: server-rendered, escaped (hono/html), the console's stylesheet, no
// scripts, and the console's strict CSP (set by the ops router). The nav leads back to the console,
// where operators with a console account come from.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type OpsHtml = HtmlEscapedString | Promise<HtmlEscapedString>;

export function opsPage(title: string, body: OpsHtml): OpsHtml {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Laurel operations</title>
    <link rel="stylesheet" href="/console/assets/console.css" />
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <span class="brand">Laurel operations</span>
      <nav aria-label="Operations">
        <ul><li><a href="/ops">Dashboard</a></li><li><a href="/ops/traces">Traces</a></li><li><a href="/console">Console</a></li></ul>
      </nav>
    </header>
    <main id="main">
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}
