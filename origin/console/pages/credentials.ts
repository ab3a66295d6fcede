// Credentials: search, one credential (status, links, history), and revocation with a reason behind
// a confirmation step. Revocation goes through the same service and publication jobs as
// POST /v1/credentials/:id/revoke. The recipient's notifications are listed with their status and
// can be re-sent (the same service as POST /v1/credentials/:id/notify).
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { credentialUrls } from "../../../shared/public-urls.ts";
import { database } from "../../db/client.ts";
import { auditLog } from "../../db/schema/index.ts";
import { and, desc, eq } from "drizzle-orm";
import { findAchievement, listAchievements } from "../../services/achievements/achievements.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { findCredential } from "../../services/credentials/credentials.ts";
import { revokeCredential } from "../../services/credentials/revoke.ts";
import { searchCredentials, type CredentialSearch } from "../../services/credentials/search.ts";
import { enqueueAfterCommit } from "../../services/jobs/enqueue.ts";
import { notificationsOf, requestResend, type NotificationView } from "../../services/notifications/store.ts";
import type { Job } from "../../queues/jobs.ts";
import { kickWebhooks } from "../../queues/webhooks.ts";
import { publicBaseUrl } from "../../services/publication/public-url.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, formatDate, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";

const PAGE_SIZE = 25;
const REASON_MAX = 500;

function dayStart(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function parseSearch(c: Context): { q: CredentialSearch; raw: Record<string, string>; page: number } {
  const get = (k: string, max = 320) => (c.req.query(k) ?? "").slice(0, max).trim();
  const raw = { recipient: get("recipient"), achievementId: get("achievementId", 64), status: get("status", 10), from: get("from", 10), to: get("to", 10) };
  const to = dayStart(raw.to);
  return {
    raw,
    page: Math.min(Math.max(1, Number.parseInt(get("page", 4), 10) || 1), 400),
    q: {
      recipient: raw.recipient || undefined,
      achievementId: raw.achievementId || undefined,
      status: raw.status === "active" || raw.status === "revoked" ? raw.status : undefined,
      from: dayStart(raw.from),
      to: to ? new Date(to.getTime() + 86_400_000) : undefined,
    },
  };
}

function statusText(status: string) {
  return html`<span class="status-${status}">${status === "revoked" ? "Revoked" : "Active"}</span>`;
}

const NOTIFICATION_STATUS_TEXT: Record<NotificationView["status"], string> = {
  pending: "waiting to be sent",
  sending: "being sent",
  sent: "sent",
  failed: "failed",
  bounced: "bounced (the address refuses mail)",
  complained: "marked as spam by the recipient",
  skipped: "not sent",
};

function notificationsSection(notifications: NotificationView[], canResend: boolean, credentialId: string, csrfToken: string) {
  return html`<section class="card" aria-labelledby="notif-h"><h2 id="notif-h">Recipient emails</h2>
    ${notifications.length === 0
      ? html`<p>No email was sent for this credential.</p>`
      : html`<ul>${notifications.map(
          (n) => html`<li>${n.kind === "revoked" ? "Revocation notice" : "Issuance notice"}: ${NOTIFICATION_STATUS_TEXT[n.status]}${n.sentAt ? ` on ${n.sentAt.replace("T", " ").slice(0, 16)} UTC` : ""}${n.error ? ` (${n.error})` : ""}${n.resends > 0 ? `; re-sent ${n.resends}×` : ""}</li>`,
        )}</ul>`}
    ${canResend
      ? html`<form method="post" action="/console/credentials/${credentialId}/notify">${csrfField(csrfToken)}<button class="secondary" type="submit">Re-send the email to the recipient</button></form>`
      : ""}
  </section>`;
}

async function notFound(c: Context<ConsoleHono>) {
  return c.html(await page({ title: "Not found", session: c.var.session, body: html`<p class="alert" role="alert">No credential of your org has this id.</p><p><a href="/console/credentials">Back to credentials</a></p>` }), 404);
}

export function registerCredentialPages(app: Hono<ConsoleHono>): void {
  app.get("/credentials", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const { q, raw, page: n } = parseSearch(c);
    const [rows, achievements] = await Promise.all([
      searchCredentials(db, s.org.id, q, PAGE_SIZE + 1, (n - 1) * PAGE_SIZE),
      listAchievements(db, s.org.id, null, 100),
    ]);
    const names = new Map(achievements.map((a) => [a.id, a.name]));
    const more = rows.length > PAGE_SIZE;
    const params = new URLSearchParams(Object.entries(raw).filter(([, v]) => v));
    const body = html`
      <form class="filters card" method="get" action="/console/credentials" role="search" aria-label="Find credentials">
        ${field({ name: "recipient", label: "Recipient email or name", type: "search", value: raw.recipient, maxlength: 320 })}
        <div><label for="f-achievementId">Achievement</label>
          <select id="f-achievementId" name="achievementId"><option value="">Any</option>
            ${achievements.map((a) => html`<option value="${a.id}" ${a.id === raw.achievementId ? html`selected` : ""}>${a.name}</option>`)}
          </select></div>
        <div><label for="f-status">Status</label>
          <select id="f-status" name="status"><option value="">Any</option>
            <option value="active" ${raw.status === "active" ? html`selected` : ""}>Active</option>
            <option value="revoked" ${raw.status === "revoked" ? html`selected` : ""}>Revoked</option>
          </select></div>
        ${field({ name: "from", label: "Issued from", type: "date", value: raw.from })}
        ${field({ name: "to", label: "Issued until", type: "date", value: raw.to })}
        <div><button type="submit">Search</button></div>
      </form>
      ${rows.length === 0
        ? html`<p role="status">No credentials match.</p>`
        : html`<div class="table-wrap"><table>
            <caption class="hint">Newest first${n > 1 ? `, page ${n}` : ""}</caption>
            <thead><tr><th scope="col">Recipient</th><th scope="col">Achievement</th><th scope="col">Status</th><th scope="col">Issued</th></tr></thead>
            <tbody>${rows.slice(0, PAGE_SIZE).map(
              (r) => html`<tr><td><a href="/console/credentials/${r.id}">${r.recipientName}</a><br /><span class="hint">${r.recipientEmail}</span></td>
                <td>${names.get(r.achievementId) ?? r.achievementId}</td><td>${statusText(r.status)}</td><td>${formatDate(r.issuedAt)}</td></tr>`,
            )}</tbody></table></div>`}
      <p>${n > 1 ? html`<a href="/console/credentials?${params}&page=${n - 1}">Previous page</a> ` : ""}
        ${more ? html`<a href="/console/credentials?${params}&page=${n + 1}">Next page</a>` : ""}</p>`;
    return c.html(await page({ title: "Credentials", session: s, current: "/console/credentials", body }));
  });

  app.get("/credentials/:id", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const id = c.req.param("id").slice(0, 64);
    const row = await findCredential(db, s.org.id, id);
    if (!row) return notFound(c);
    const [achievement, history, notifications] = await Promise.all([
      findAchievement(db, s.org.id, row.achievementId),
      db.select().from(auditLog).where(and(eq(auditLog.orgId, s.org.id), eq(auditLog.target, row.id))).orderBy(desc(auditLog.at)).limit(50),
      notificationsOf(db, row.id),
    ]);
    const urls = credentialUrls(publicBaseUrl(c.env), row.id);
    const body = html`${notice(
      c.req.query("done") === "revoked"
        ? "The credential is revoked. Its public page shows this within seconds."
        : c.req.query("done") === "issued"
          ? "The credential is issued. Its public page is live within seconds."
          : c.req.query("done") === "notified"
            ? "The email to the recipient is queued again."
            : undefined,
    )}
      <section class="card" aria-labelledby="facts-h"><h2 id="facts-h">Credential</h2>
        <dl class="facts">
          <dt>Status</dt><dd>${statusText(row.status)}${row.status === "revoked" ? html` on ${formatDate(row.revokedAt)}: ${row.revocationReason ?? ""}` : ""}</dd>
          <dt>Recipient</dt><dd>${row.recipientName} (${row.recipientEmail})</dd>
          <dt>Achievement</dt><dd>${achievement?.name ?? row.achievementId}</dd>
          <dt>Issued</dt><dd>${formatDate(row.issuedAt)}</dd>
          <dt>Valid</dt><dd>from ${row.validFrom}${row.validUntil ? ` until ${row.validUntil}` : ""}</dd>
          <dt>Id</dt><dd><code>${row.id}</code></dd>
        </dl></section>
      <section class="card" aria-labelledby="links-h"><h2 id="links-h">Links</h2>
        <ul>
          <li><a href="${urls.page}">Public verification page</a> (what the recipient shares): <code>${urls.page}</code></li>
          <li><a href="${urls.badge}">Badge image (PNG, credential baked in)</a></li>
          <li><a href="${urls.jwt}">The credential as a VC-JWT</a></li>
        </ul></section>
      ${notificationsSection(notifications, may(s.member.role, "issue"), row.id, s.csrfToken)}
      ${row.status === "active" && may(s.member.role, "revoke")
        ? html`<p><a class="button" href="/console/credentials/${row.id}/revoke">Revoke this credential…</a></p>`
        : ""}
      <section class="card" aria-labelledby="hist-h"><h2 id="hist-h">History</h2>
        <ul>
          <li>${formatDate(row.issuedAt)}: issued${row.batchId ? " (in a batch)" : ""}</li>
          ${history.map((h) => html`<li>${formatDate(h.at)}: ${h.action} by ${h.actor}${h.detail?.reason ? `: ${h.detail.reason}` : ""}</li>`)}
        </ul></section>`;
    return c.html(await page({ title: `${row.recipientName}: ${achievement?.name ?? "credential"}`, session: s, current: "/console/credentials", body }));
  });

  app.post("/credentials/:id/notify", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.credentials.notify";
    const id = c.req.param("id").slice(0, 64);
    const db = database(c.env);
    const kind = await requestResend(db, s.org.id, id, Date.now());
    if (!kind) return notFound(c);
    // As the API's notify route: the row is the record; a lost job is enqueued again by the sweep.
    await c.env.NOTIFICATIONS.send({ type: "notification.send", credentialId: id, kind, requestId: rc.requestId } satisfies Job).catch((error: unknown) =>
      rc.log.warn("could not enqueue the notification; the sweep will", { error }),
    );
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "credential.notify", target: id, detail: { kind } });
    return c.redirect(`/console/credentials/${id}?done=notified`, 303);
  });

  const confirmPage = async (c: Context<ConsoleHono>, id: string, reason = "", error?: string, status: 200 | 400 = 200) => {
    const s = c.var.session;
    const row = await findCredential(database(c.env), s.org.id, id);
    if (!row) return notFound(c);
    if (row.status === "revoked") return c.redirect(`/console/credentials/${row.id}`, 303);
    const body = html`<p>Revoking is final: the credential of <strong>${row.recipientName}</strong> (${row.recipientEmail}) will show as revoked to everyone who verifies it.</p>
      <form class="stack card" method="post" action="/console/credentials/${row.id}/revoke" novalidate>
        ${csrfField(s.csrfToken)}
        ${field({ name: "reason", label: "Reason (shown on the public page)", value: reason, required: true, error, maxlength: REASON_MAX })}
        <div><button class="danger" type="submit">Revoke the credential</button> <a href="/console/credentials/${row.id}">Cancel</a></div>
      </form>`;
    return c.html(await page({ title: "Revoke credential", session: s, current: "/console/credentials", body }), status);
  };

  app.get("/credentials/:id/revoke", signedIn(), requirePermission("revoke"), (c) => confirmPage(c, c.req.param("id").slice(0, 64)));

  app.post("/credentials/:id/revoke", signedIn(), csrf(), requirePermission("revoke"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.credentials.revoke";
    const id = c.req.param("id").slice(0, 64);
    const reason = formText(c.var.form, "reason", REASON_MAX + 1).trim();
    if (!reason || reason.length > REASON_MAX) return confirmPage(c, id, reason, `Give a reason of 1 to ${REASON_MAX} characters.`, 400);
    const db = database(c.env);
    const revoked = await revokeCredential(db, s.org.id, id, reason, rc.requestId, rc.trace);
    if (!revoked) return notFound(c);
    if (revoked.changed) {
      await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "credential.revoke", target: id, detail: { reason } });
    }
    // The same publication jobs as the API's revoke route (the outbox re-drives them if these are lost).
    await enqueueAfterCommit(
      c.env,
      [
        { type: "status-list.publish", statusListId: revoked.row.statusListId, requestId: rc.requestId },
        { type: "credential.publish", credentialId: revoked.row.id, requestId: rc.requestId },
      ],
      rc.log,
    );
    if (revoked.changed) await kickWebhooks(c.env, s.org.id, rc.requestId, rc.log); // credential.revoked
    return c.redirect(`/console/credentials/${id}?done=revoked`, 303);
  });
}
