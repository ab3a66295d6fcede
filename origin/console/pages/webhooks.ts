// Settings → Webhooks: the org's endpoints (list, create with the signing secret shown once), and
// each endpoint's page (webhooks-endpoint.ts). Owners and admins, like the API's `manage` scope;
// the same services and rules as /v1/webhooks.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { countEndpoints, createEndpoint, listEndpoints, MAX_ENDPOINTS_PER_ORG } from "../../services/webhooks/endpoints.ts";
import type { ConsoleHono } from "../context.ts";
import { notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { registerWebhookEndpointPages } from "./webhooks-endpoint.ts";
import { endpointForm, readEndpointForm, secretNotice, WEBHOOKS_PATH, type EndpointErrors, type EndpointValues } from "./webhooks-form.ts";


async function listPage(c: Context<ConsoleHono>, o: { secret?: string; message?: string; values?: EndpointValues; errors?: EndpointErrors; status?: 200 | 400 | 409 } = {}) {
  const s = c.var.session;
  const endpoints = await listEndpoints(database(c.env), s.org.id);
  const body = html`${notice(o.message)}${o.secret ? secretNotice(o.secret) : ""}
    ${endpoints.length === 0
      ? html`<p>No webhook endpoints yet. Laurel signs each event it sends (Standard Webhooks).</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Failures in a row</th></tr></thead>
      <tbody>${endpoints.map(
        (e) => html`<tr><td><a href="${WEBHOOKS_PATH}/${e.id}">${e.url}</a>${e.description ? html`<br /><span class="hint">${e.description}</span>` : ""}</td>
          <td>${e.events.join(", ")}</td>
          <td>${e.enabled ? html`<span class="status-active">Enabled</span>` : html`<span class="status-revoked">Disabled</span>${e.disabledReason ? html`<br />${e.disabledReason}` : ""}`}</td>
          <td>${e.consecutiveFailures}</td></tr>`,
      )}</tbody></table></div>`}
    ${endpointForm({ action: WEBHOOKS_PATH, csrf: s.csrfToken, values: o.values, errors: o.errors, submit: "Add endpoint", heading: "Add an endpoint" })}`;
  return c.html(await page({ title: "Webhooks", session: s, current: WEBHOOKS_PATH, body }), o.status ?? 200);
}

export function registerWebhookPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/webhooks", signedIn(), requirePermission("manage"), (c) => listPage(c, { message: c.req.query("done") === "deleted" ? "The endpoint is deleted." : undefined }));

  app.post("/settings/webhooks", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.webhooks.create";
    const { values, errors } = readEndpointForm(c.var.form, c.env);
    if (Object.keys(errors).length) return listPage(c, { values, errors, status: 400 });
    const db = database(c.env);
    if ((await countEndpoints(db, s.org.id)) >= MAX_ENDPOINTS_PER_ORG) {
      return listPage(c, { values, errors: { url: `An org has at most ${MAX_ENDPOINTS_PER_ORG} endpoints; delete one first.` }, status: 409 });
    }
    const created = await createEndpoint(db, c.env.KEY_ENCRYPTION_SECRET, s.org.id, values);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "webhook.create", target: created.id, detail: { url: created.url, events: created.events.join(" ") } });
    return listPage(c, { secret: created.secret, message: `The endpoint ${created.url} is added.` });
  });

  registerWebhookEndpointPages(app);
}
