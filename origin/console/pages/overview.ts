// The console's home: the org's totals, shortcuts, and the member's own sessions.
import type { Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { credentialCounts } from "../../services/credentials/search.ts";
import type { ConsoleHono } from "../context.ts";
import { csrfField, page } from "../html.ts";
import { requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";

export function registerOverviewPage(app: Hono<ConsoleHono>): void {
  app.get("/", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const counts = await credentialCounts(database(c.env), s.org.id);
    const body = html`
      <section aria-labelledby="totals-h"><h2 id="totals-h">Credentials</h2>
        <div class="stats">
          <p class="stat"><b>${counts.active + counts.revoked}</b> issued</p>
          <p class="stat"><b>${counts.active}</b> active</p>
          <p class="stat"><b>${counts.revoked}</b> revoked</p>
        </div></section>
      <p>${may(s.member.role, "issue") ? html`<a class="button" href="/console/issue">Issue a credential</a> ` : ""}
        <a href="/console/credentials">Find a credential</a></p>
      <section class="card" aria-labelledby="sessions-h"><h2 id="sessions-h">Your sessions</h2>
        <p>Signed in as ${s.member.name} (${s.member.email}). Sessions end after an hour without activity.</p>
        <form method="post" action="/console/sign-out-everywhere">${csrfField(s.csrfToken)}
          <button class="secondary" type="submit">Sign out everywhere</button></form></section>`;
    return c.html(await page({ title: "Overview", session: s, current: "/console", body }));
  });
}
