// LMS integrations: the org's Canvas and Moodle courses whose completions earn an achievement.
// Every member reads them; owners and admins connect, edit and delete (the API's `manage`);
// whoever may issue starts a sync (`issue`). One integration's page: integrations-detail.ts.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { listAchievements } from "../../services/achievements/achievements.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { createIntegration, listIntegrations, type IntegrationInput } from "../../services/integrations/store.ts";
import { latestSyncs } from "../../services/integrations/sync-store.ts";
import type { ConsoleHono } from "../context.ts";
import { formatDate, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";
import { registerIntegrationDetailPages, syncStatusText } from "./integrations-detail.ts";
import { INTEGRATIONS_PATH, integrationForm, readIntegrationForm, type IntegrationErrors, type IntegrationValues } from "./integrations-form.ts";

/** Integrations listed (newest first). */
const LIST_LIMIT = 100;

async function listPage(c: Context<ConsoleHono>, o: { values?: IntegrationValues; errors?: IntegrationErrors; status?: 200 | 400 } = {}) {
  const s = c.var.session;
  const db = database(c.env);
  const rows = await listIntegrations(db, s.org.id, null, LIST_LIMIT);
  const latest = await latestSyncs(db, rows.map((r) => r.id));
  const canManage = may(s.member.role, "manage");
  const achievements = canManage ? await listAchievements(db, s.org.id, null, 100) : [];
  const body = html`${notice(c.req.query("done") === "deleted" ? "The integration is deleted; the credentials it issued stay valid." : undefined)}
    ${rows.length === 0
      ? html`<p>No LMS is connected. Connect a Canvas or Moodle course and its completions earn an achievement.</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Course</th><th scope="col">LMS</th><th scope="col">Automatic syncs</th><th scope="col">Last sync</th></tr></thead>
      <tbody>${rows.map((r) => {
        const last = latest.get(r.id);
        return html`<tr><td><a href="${INTEGRATIONS_PATH}/${r.id}">${r.name}</a></td><td>${r.kind === "canvas" ? "Canvas" : "Moodle"}</td>
          <td>${r.schedule ?? "none"}${r.nextSyncAt ? html`<br /><span class="hint">next ${formatDate(r.nextSyncAt)}</span>` : ""}</td>
          <td>${last ? html`${syncStatusText(last.status)}<br /><span class="hint">${formatDate(last.createdAt)}</span>` : "never"}</td></tr>`;
      })}</tbody></table></div>`}
    ${canManage
      ? integrationForm({ action: INTEGRATIONS_PATH, csrf: s.csrfToken, achievements, values: o.values ?? { kind: "canvas" }, errors: o.errors ?? {}, heading: "Connect a course", submit: "Connect" })
      : ""}`;
  return c.html(await page({ title: "LMS integrations", session: s, current: INTEGRATIONS_PATH, body }), o.status ?? 200);
}

export function registerIntegrationPages(app: Hono<ConsoleHono>): void {
  app.get("/integrations", signedIn(), requirePermission("read"), (c) => listPage(c));

  app.post("/integrations", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.integrations.create";
    const db = database(c.env);
    const { values, errors, input } = await readIntegrationForm(c.var.form, { db, orgId: s.org.id, env: c.env });
    if (!input) return listPage(c, { values: { ...values, token: "" }, errors, status: 400 });
    const row = await createIntegration(db, c.env.KEY_ENCRYPTION_SECRET, s.org.id, input as IntegrationInput);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "integration.create", target: row.id, detail: { name: row.name, kind: row.kind } });
    return c.redirect(`${INTEGRATIONS_PATH}/${row.id}?done=created`, 303);
  });

  registerIntegrationDetailPages(app);
}
