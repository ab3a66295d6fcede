// One webhook endpoint: edit (URL, description, events), disable or enable, rotate the secret (the
// new one shown once), send a test event, delete (behind a confirmation page), and its delivery log
// with each attempt and a redeliver button. Another org's endpoint or delivery ids answer 404.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import type { OriginHono } from "../../env.ts";
import { kickWebhooks, sendWebhookMessages } from "../../queues/webhooks.ts";
import { recordAudit, type AuditEntry } from "../../services/audit/audit-log.ts";
import { listDeliveries, recordTestEvent, replayDelivery, type DeliveryView } from "../../services/webhooks/deliveries.ts";
import { deleteEndpoint, endpointView, findEndpoint, rotateEndpointSecret, updateEndpoint } from "../../services/webhooks/endpoints.ts";
import type { ConsoleHono } from "../context.ts";
import { csrfField, formatDate, notice, page, type Html } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { endpointForm, readEndpointForm, secretNotice, WEBHOOKS_PATH, type EndpointErrors, type EndpointValues } from "./webhooks-form.ts";

/** Deliveries the log shows (newest first). */
const LOG_LIMIT = 50;

const DONE: Record<string, string> = {
  saved: "The endpoint is saved.",
  enabled: "The endpoint is enabled: its waiting deliveries resume.",
  disabled: "The endpoint is disabled: nothing is sent to it until it is enabled again.",
  test: "A test event is on its way; it appears in the log below.",
  redelivered: "The delivery is sent again; follow it in the log below.",
};

const manage = [signedIn(), requirePermission("manage")] as const;
const manageForm = [signedIn(), csrf(), requirePermission("manage")] as const;

async function notFound(c: Context<ConsoleHono>, what = "webhook endpoint") {
  return c.html(await page({ title: "Not found", session: c.var.session, body: html`<p class="alert" role="alert">No ${what} of your org has this id.</p><p><a href="${WEBHOOKS_PATH}">Back to webhooks</a></p>` }), 404);
}

const endpointId = (c: Context) => c.req.param("id")!.slice(0, 64);

function audit(c: Context<ConsoleHono>, action: string, target: string, detail?: AuditEntry["detail"]) {
  const s = c.var.session;
  return recordAudit(database(c.env), { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action, target, detail });
}

/** The fast path of a delivery made due now; the scheduled sweep sends it if this send fails. */
async function sendDeliver(env: OriginHono["Bindings"], deliveryId: string, rc: OriginHono["Variables"]["rc"]): Promise<void> {
  try {
    await sendWebhookMessages(env, [{ type: "webhook.deliver", deliveryId, requestId: rc.requestId }]);
  } catch (error) {
    rc.log.warn("webhook queue send failed; the scheduled sweep delivers", { error, deliveryId });
  }
}

function stateText(state: DeliveryView["state"]): Html {
  if (state === "delivered") return html`<span class="status-active">Delivered</span>`;
  if (state === "dead") return html`<span class="status-revoked">Failed</span>`;
  return html`<span>Waiting</span>`;
}

function deliveryLog(id: string, csrfToken: string, deliveries: DeliveryView[]): Html {
  if (deliveries.length === 0) return html`<p>No deliveries yet. Send a test event to try the endpoint.</p>`;
  return html`<div class="table-wrap"><table>
    <caption class="hint">The latest ${LOG_LIMIT} deliveries, newest first</caption>
    <thead><tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Action</th></tr></thead>
    <tbody>${deliveries.map(
      (d) => html`<tr id="delivery-${d.id}"><td>${d.eventType}<br /><span class="hint">${formatDate(new Date(d.createdAt))}</span></td>
        <td>${stateText(d.state)}${d.state === "pending" && d.nextAttemptAt ? html`<br /><span class="hint">next ${formatDate(new Date(d.nextAttemptAt))}</span>` : ""}</td>
        <td>${d.attempts.length === 0 ? "none yet" : html`<ol class="attempts">${d.attempts.map(
          (a) => html`<li>${formatDate(new Date(a.attemptedAt))}: ${a.statusCode ?? "no answer"}${a.error ? html` (${a.error})` : ""}, ${a.durationMs} ms</li>`,
        )}</ol>`}</td>
        <td>${d.state === "pending"
          ? ""
          : html`<form method="post" action="${WEBHOOKS_PATH}/${id}/deliveries/${d.id}/redeliver">${csrfField(csrfToken)}<button class="secondary" type="submit" aria-label="Redeliver ${d.eventType} of ${formatDate(new Date(d.createdAt))}">Redeliver</button></form>`}</td></tr>`,
    )}</tbody></table></div>`;
}

async function endpointPage(
  c: Context<ConsoleHono>,
  o: { secret?: string; message?: string; values?: EndpointValues; errors?: EndpointErrors; status?: 200 | 400 } = {},
) {
  const s = c.var.session;
  const db = database(c.env);
  const row = await findEndpoint(db, s.org.id, endpointId(c));
  if (!row) return notFound(c);
  const e = endpointView(row);
  const deliveries = await listDeliveries(db, s.org.id, e.id, LOG_LIMIT);
  const base = `${WEBHOOKS_PATH}/${e.id}`;
  const body = html`${notice(o.message ?? DONE[c.req.query("done") ?? ""])}${o.secret ? secretNotice(o.secret) : ""}
    <p><a href="${WEBHOOKS_PATH}">All webhook endpoints</a></p>
    <dl class="facts card">
      <dt>Receiver</dt><dd>${e.url}</dd>
      <dt>State</dt><dd>${e.enabled ? html`<span class="status-active">Enabled</span>` : html`<span class="status-revoked">Disabled</span>${e.disabledReason ? html`: ${e.disabledReason}` : ""}`}</dd>
      <dt>Failures in a row</dt><dd>${e.consecutiveFailures}</dd>
      ${e.previousSecretExpiresAt ? html`<dt>Previous secret</dt><dd>also signs until ${formatDate(new Date(e.previousSecretExpiresAt))}</dd>` : ""}
    </dl>
    <div class="actions card">
      <form method="post" action="${base}/${e.enabled ? "disable" : "enable"}">${csrfField(s.csrfToken)}<button class="secondary" type="submit">${e.enabled ? "Disable" : "Enable"}</button></form>
      <form method="post" action="${base}/test">${csrfField(s.csrfToken)}<button class="secondary" type="submit">Send a test event</button></form>
      <form method="post" action="${base}/rotate-secret">${csrfField(s.csrfToken)}<button class="secondary" type="submit">Rotate the secret</button></form>
      <a href="${base}/delete">Delete…</a>
    </div>
    ${endpointForm({ action: base, csrf: s.csrfToken, values: o.values ?? e, errors: o.errors, submit: "Save", heading: "Edit" })}
    <section aria-labelledby="log-h"><h2 id="log-h">Delivery log</h2>${deliveryLog(e.id, s.csrfToken, deliveries)}</section>`;
  return c.html(await page({ title: "Webhook endpoint", session: s, current: WEBHOOKS_PATH, body }), o.status ?? 200);
}

export function registerWebhookEndpointPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/webhooks/:id", ...manage, (c) => endpointPage(c));

  app.post("/settings/webhooks/:id", ...manageForm, async (c) => {
    c.var.rc.operation = "console.webhooks.update";
    const { values, errors } = readEndpointForm(c.var.form, c.env);
    if (Object.keys(errors).length) return endpointPage(c, { values, errors, status: 400 });
    const updated = await updateEndpoint(database(c.env), c.var.session.org.id, endpointId(c), values);
    if (!updated) return notFound(c);
    await audit(c, "webhook.update", updated.id, { url: updated.url, events: updated.events.join(" ") });
    return c.redirect(`${WEBHOOKS_PATH}/${updated.id}?done=saved`, 303);
  });

  for (const enabled of [true, false]) {
    app.post(`/settings/webhooks/:id/${enabled ? "enable" : "disable"}`, ...manageForm, async (c) => {
      const rc = c.var.rc;
      rc.operation = `console.webhooks.${enabled ? "enable" : "disable"}`;
      const s = c.var.session;
      const updated = await updateEndpoint(database(c.env), s.org.id, endpointId(c), { enabled });
      if (!updated) return notFound(c);
      if (enabled) await kickWebhooks(c.env, s.org.id, rc.requestId, rc.log); // the backlog resumes
      await audit(c, enabled ? "webhook.enable" : "webhook.disable", updated.id);
      return c.redirect(`${WEBHOOKS_PATH}/${updated.id}?done=${enabled ? "enabled" : "disabled"}`, 303);
    });
  }

  app.post("/settings/webhooks/:id/rotate-secret", ...manageForm, async (c) => {
    c.var.rc.operation = "console.webhooks.rotate-secret";
    const rotated = await rotateEndpointSecret(database(c.env), c.env.KEY_ENCRYPTION_SECRET, c.var.session.org.id, endpointId(c));
    if (!rotated) return notFound(c);
    await audit(c, "webhook.rotate-secret", rotated.id);
    return endpointPage(c, { secret: rotated.secret, message: `The secret is rotated. Until ${formatDate(new Date(rotated.previousSecretExpiresAt))} every request also carries the previous secret's signature.` });
  });

  app.post("/settings/webhooks/:id/test", ...manageForm, async (c) => {
    const rc = c.var.rc;
    rc.operation = "console.webhooks.test";
    const db = database(c.env);
    const endpoint = await findEndpoint(db, c.var.session.org.id, endpointId(c));
    if (!endpoint) return notFound(c);
    const queued = await recordTestEvent(db, endpoint.orgId, endpoint.id, rc.requestId, rc.trace);
    await sendDeliver(c.env, queued.deliveryId, rc);
    return c.redirect(`${WEBHOOKS_PATH}/${endpoint.id}?done=test`, 303);
  });

  app.post("/settings/webhooks/:id/deliveries/:deliveryId/redeliver", ...manageForm, async (c) => {
    const rc = c.var.rc;
    rc.operation = "console.webhooks.redeliver";
    const id = endpointId(c);
    const deliveryId = c.req.param("deliveryId").slice(0, 64);
    if (!(await replayDelivery(database(c.env), c.var.session.org.id, id, deliveryId))) return notFound(c, "webhook delivery");
    await sendDeliver(c.env, deliveryId, rc);
    await audit(c, "webhook.redeliver", deliveryId, { endpoint: id });
    return c.redirect(`${WEBHOOKS_PATH}/${id}?done=redelivered#delivery-${deliveryId}`, 303);
  });

  app.get("/settings/webhooks/:id/delete", ...manage, async (c) => {
    const s = c.var.session;
    const row = await findEndpoint(database(c.env), s.org.id, endpointId(c));
    if (!row) return notFound(c);
    const body = html`<p>Delete the endpoint <b>${row.url}</b>? Its waiting deliveries are dropped and its delivery log goes with it.</p>
      <form class="actions" method="post" action="${WEBHOOKS_PATH}/${row.id}/delete">${csrfField(s.csrfToken)}
        <button class="danger" type="submit">Delete the endpoint</button> <a href="${WEBHOOKS_PATH}/${row.id}">Keep it</a></form>`;
    return c.html(await page({ title: "Delete a webhook endpoint", session: s, current: WEBHOOKS_PATH, body }));
  });

  app.post("/settings/webhooks/:id/delete", ...manageForm, async (c) => {
    c.var.rc.operation = "console.webhooks.delete";
    const id = endpointId(c);
    if (!(await deleteEndpoint(database(c.env), c.var.session.org.id, id))) return notFound(c);
    await audit(c, "webhook.delete", id);
    return c.redirect(`${WEBHOOKS_PATH}?done=deleted`, 303);
  });
}
