// One LMS integration: its settings (edit; the token write-only), "Sync now", the last syncs with
// their progress, counts and errors, and delete behind a confirmation page. Another org's ids 404.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { listAchievements } from "../../services/achievements/achievements.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { startSync } from "../../services/integrations/start-sync.ts";
import { deleteIntegration, findIntegration, updateIntegration, type IntegrationPatch, type IntegrationRow } from "../../services/integrations/store.ts";
import { listSyncs, syncCounts, syncErrors, type SyncRow, type SyncStatus } from "../../services/integrations/sync-store.ts";
import type { ConsoleHono } from "../context.ts";
import { csrfField, formatDate, notice, page, type Html } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";
import { INTEGRATIONS_PATH, integrationForm, readIntegrationForm, type IntegrationErrors, type IntegrationValues } from "./integrations-form.ts";

/** Syncs shown, newest first, and errors shown per sync. */
const SYNCS_SHOWN = 10;
const ERRORS_SHOWN = 20;

const DONE: Record<string, string> = {
  created: "The course is connected. Press “Sync now” to issue its completions.",
  saved: "The integration is saved.",
  sync: "A sync is queued. Reload this page to follow it.",
};

const STATUS_TEXT: Record<SyncStatus, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  completed_with_errors: "Completed with errors",
  failed: "Failed",
};

export function syncStatusText(status: SyncStatus): Html {
  const cls = status === "completed" ? "status-active" : status === "failed" || status === "completed_with_errors" ? "status-revoked" : "";
  return html`<span class="${cls}">${STATUS_TEXT[status]}</span>`;
}

const integrationId = (c: Context) => c.req.param("id")!.slice(0, 64);

async function notFound(c: Context<ConsoleHono>) {
  return c.html(await page({ title: "Not found", session: c.var.session, body: html`<p class="alert" role="alert">No integration of your org has this id.</p><p><a href="${INTEGRATIONS_PATH}">Back to LMS integrations</a></p>` }), 404);
}

async function syncList(c: Context<ConsoleHono>, syncs: SyncRow[]): Promise<Html> {
  if (syncs.length === 0) return html`<p>No sync yet.</p>`;
  const db = database(c.env);
  const counts = await syncCounts(db, syncs.map((s) => s.id));
  const items = await Promise.all(
    syncs.map(async (s) => {
      const n = counts.get(s.id)!;
      const errors = n.errors > 0 ? (await syncErrors(db, s.id)).slice(0, ERRORS_SHOWN) : [];
      const busy = s.status === "queued" || s.status === "running";
      return html`<li class="card" id="sync-${s.id}">
        <p><b>${syncStatusText(s.status)}</b> · started ${formatDate(s.createdAt)} (${s.trigger === "schedule" ? "scheduled" : "on request"})${s.finishedAt ? html` · finished ${formatDate(s.finishedAt)}` : ""}</p>
        ${busy ? html`<p>${s.phase === "list" ? `Reading the LMS's learners: ${s.pages} pages so far.` : "Issuing the completions."} <a href="${INTEGRATIONS_PATH}/${s.integrationId}#sync-${s.id}">Refresh</a></p>` : ""}
        <p>${n.learnersSeen} learners seen, ${n.completionsSeen} completions, ${n.credentialsIssued} issued, ${n.skipped} already issued, ${n.errors} errors.</p>
        ${s.failureReason ? html`<p class="alert">${s.failureReason}</p>` : ""}
        ${errors.length
          ? html`<div class="table-wrap"><table><caption class="hint">Learners not issued${n.errors > errors.length ? ` (the first ${errors.length} of ${n.errors})` : ""}</caption>
            <thead><tr><th scope="col">LMS user</th><th scope="col">Problem</th></tr></thead>
            <tbody>${errors.map((e) => html`<tr><td>${e.lmsUserId}</td><td>${e.code}: ${e.detail}</td></tr>`)}</tbody></table></div>`
          : ""}
      </li>`;
    }),
  );
  return html`<ol class="syncs">${items}</ol>`;
}

function valuesOf(row: IntegrationRow): IntegrationValues {
  return {
    name: row.name,
    baseUrl: row.baseUrl,
    courseId: row.courseId,
    achievementId: row.achievementId,
    schedule: row.schedule ?? "",
    requestsPerSecond: String(row.requestsPerSecond),
    maxConcurrency: String(row.maxConcurrency),
  };
}

async function detailPage(c: Context<ConsoleHono>, o: { values?: IntegrationValues; errors?: IntegrationErrors; status?: 200 | 400 } = {}) {
  const s = c.var.session;
  const db = database(c.env);
  const row = await findIntegration(db, s.org.id, integrationId(c));
  if (!row) return notFound(c);
  const syncs = await listSyncs(db, row.id, null, SYNCS_SHOWN);
  const canManage = may(s.member.role, "manage");
  const achievements = await listAchievements(db, s.org.id, null, 100);
  const achievement = achievements.find((a) => a.id === row.achievementId);
  const base = `${INTEGRATIONS_PATH}/${row.id}`;
  const body = html`${notice(DONE[c.req.query("done") ?? ""])}
    <p><a href="${INTEGRATIONS_PATH}">All LMS integrations</a></p>
    <dl class="facts card">
      <dt>LMS</dt><dd>${row.kind === "canvas" ? "Canvas" : "Moodle"} at ${row.baseUrl}</dd>
      <dt>Course id</dt><dd>${row.courseId}</dd>
      <dt>Achievement</dt><dd>${achievement?.name ?? row.achievementId}</dd>
      <dt>Automatic syncs</dt><dd>${row.schedule ?? "none (on request only)"}${row.nextSyncAt ? `, next ${formatDate(row.nextSyncAt)}` : ""}</dd>
    </dl>
    ${may(s.member.role, "issue") ? html`<form class="actions" method="post" action="${base}/sync">${csrfField(s.csrfToken)}<button type="submit">Sync now</button></form>` : ""}
    <section aria-labelledby="syncs-h"><h2 id="syncs-h">Last syncs</h2>${await syncList(c, syncs)}</section>
    ${canManage
      ? html`${integrationForm({ action: base, csrf: s.csrfToken, achievements, values: o.values ?? valuesOf(row), errors: o.errors ?? {}, kind: row.kind, heading: "Edit", submit: "Save" })}
        <p><a href="${base}/delete">Delete this integration…</a></p>`
      : ""}`;
  return c.html(await page({ title: row.name, session: s, current: INTEGRATIONS_PATH, body }), o.status ?? 200);
}

export function registerIntegrationDetailPages(app: Hono<ConsoleHono>): void {
  app.get("/integrations/:id", signedIn(), requirePermission("read"), (c) => detailPage(c));

  app.post("/integrations/:id", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.integrations.update";
    const db = database(c.env);
    const existing = await findIntegration(db, s.org.id, integrationId(c));
    if (!existing) return notFound(c);
    const { values, errors, input } = await readIntegrationForm(c.var.form, { db, orgId: s.org.id, env: c.env, existingKind: existing.kind });
    if (!input) return detailPage(c, { values: { ...values, token: "" }, errors, status: 400 });
    const row = await updateIntegration(db, c.env.KEY_ENCRYPTION_SECRET, s.org.id, existing.id, input as IntegrationPatch);
    if (!row) return notFound(c);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "integration.update", target: row.id, detail: { name: row.name, token: (input as IntegrationPatch).token ? "replaced" : "kept" } });
    return c.redirect(`${INTEGRATIONS_PATH}/${row.id}?done=saved`, 303);
  });

  app.post("/integrations/:id/sync", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.integrations.sync";
    const db = database(c.env);
    const row = await findIntegration(db, s.org.id, integrationId(c));
    if (!row) return notFound(c);
    const sync = await startSync(c.env, db, row, "api", rc.requestId, rc.log);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "integration.sync", target: row.id, detail: { sync: sync.id } });
    return c.redirect(`${INTEGRATIONS_PATH}/${row.id}?done=sync#sync-${sync.id}`, 303);
  });

  app.get("/integrations/:id/delete", signedIn(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const row = await findIntegration(database(c.env), s.org.id, integrationId(c));
    if (!row) return notFound(c);
    const body = html`<p>Delete the integration <b>${row.name}</b>? Its sync history goes with it; the credentials it issued stay valid.</p>
      <form class="actions" method="post" action="${INTEGRATIONS_PATH}/${row.id}/delete">${csrfField(s.csrfToken)}
        <button class="danger" type="submit">Delete the integration</button> <a href="${INTEGRATIONS_PATH}/${row.id}">Keep it</a></form>`;
    return c.html(await page({ title: "Delete an LMS integration", session: s, current: INTEGRATIONS_PATH, body }));
  });

  app.post("/integrations/:id/delete", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.integrations.delete";
    const db = database(c.env);
    const id = integrationId(c);
    if (!(await deleteIntegration(db, s.org.id, id))) return notFound(c);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "integration.delete", target: id });
    return c.redirect(`${INTEGRATIONS_PATH}?done=deleted`, 303);
  });
}
