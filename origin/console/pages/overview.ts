// The console's home: the org's totals, a chart of the last 30 days, what is failing, recent batches
// and LMS syncs, shortcuts, and the member's own sessions.
import type { Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { addDays, utcDayOf } from "../../services/analytics/days.ts";
import { analyticsPerDay, DEFAULT_RANGE_DAYS } from "../../services/analytics/summary.ts";
import { credentialCounts } from "../../services/credentials/search.ts";
import { recentBatches } from "../../services/batches/recent.ts";
import { orgFailures } from "../../services/failures/org-failures.ts";
import { recentSyncs } from "../../services/integrations/recent-syncs.ts";
import type { ConsoleHono } from "../context.ts";
import { csrfField, page } from "../html.ts";
import { requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";
import { activityChart } from "./overview-chart.ts";
import { failureList } from "./overview-failures.ts";
import { RECENT_SHOWN, recentWork } from "./overview-recent.ts";

export function registerOverviewPage(app: Hono<ConsoleHono>): void {
  app.get("/", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const to = utcDayOf(Date.now());
    const [counts, analytics, failures, batches, syncs] = await Promise.all([
      credentialCounts(db, s.org.id),
      analyticsPerDay(db, { orgId: s.org.id, from: addDays(to, 1 - DEFAULT_RANGE_DAYS), to }),
      orgFailures(db, s.org.id),
      recentBatches(db, s.org.id, RECENT_SHOWN),
      recentSyncs(db, s.org.id, RECENT_SHOWN),
    ]);
    const body = html`
      <section aria-labelledby="totals-h"><h2 id="totals-h">Credentials</h2>
        <div class="stats">
          <p class="stat"><b>${counts.active + counts.revoked}</b> issued</p>
          <p class="stat"><b>${counts.active}</b> active</p>
          <p class="stat"><b>${counts.revoked}</b> revoked</p>
        </div></section>
      <section class="card" aria-labelledby="activity-h"><h2 id="activity-h">Last ${DEFAULT_RANGE_DAYS} days</h2>
        ${activityChart(analytics.days.map((d) => ({ date: d.date, issued: d.issued, verifications: d.verifications })))}</section>
      <section class="card" aria-labelledby="failures-h"><h2 id="failures-h">Failing</h2>${failureList(failures)}</section>
      <section class="card" aria-labelledby="recent-h"><h2 id="recent-h">Recent batches and syncs</h2>${recentWork(batches, syncs)}</section>
      <p>${may(s.member.role, "issue") ? html`<a class="button" href="/console/issue">Issue a credential</a> ` : ""}
        <a href="/console/credentials">Find a credential</a></p>
      <section class="card" aria-labelledby="sessions-h"><h2 id="sessions-h">Your sessions</h2>
        <p>Signed in as ${s.member.name} (${s.member.email}). Sessions end after an hour without activity.</p>
        <form method="post" action="/console/sign-out-everywhere">${csrfField(s.csrfToken)}
          <button class="secondary" type="submit">Sign out everywhere</button></form></section>`;
    return c.html(await page({ title: "Overview", session: s, current: "/console", body }));
  });
}
