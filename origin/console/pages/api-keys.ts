// Settings → API keys: create one with chosen scopes (the secret is shown once), list, revoke.
// Owners and admins; the same service as /v1/api-keys.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { API_KEY_SCOPES, SCOPE_DESCRIPTIONS, type ApiKeyScope } from "../../auth/scopes.ts";
import { database } from "../../db/client.ts";
import { createApiKey, deleteApiKey, listApiKeys } from "../../services/api-keys/api-keys.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

const NAME_MAX = 100;

async function keysPage(c: Context<ConsoleHono>, o: { secret?: string; message?: string; errors?: Record<string, string>; name?: string; status?: 200 | 400 | 404 } = {}) {
  const s = c.var.session;
  const keys = await listApiKeys(database(c.env), s.org.id);
  const body = html`${notice(o.message)}
    ${o.secret
      ? html`<div class="notice" role="status"><p>The new API key. Copy it now: it is shown only once.</p><code class="secret">${o.secret}</code></div>`
      : ""}
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
      <tbody>${keys.map(
        (k) => html`<tr><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${k.scopes.join(", ")}</td><td>${k.createdAt.slice(0, 10)}</td>
          <td>${k.revokedAt
            ? `revoked ${k.revokedAt.slice(0, 10)}`
            : html`<form method="post" action="/console/settings/api-keys/${k.id}/revoke">${csrfField(s.csrfToken)}<button class="secondary" type="submit" aria-label="Revoke ${k.name || k.prefix}">Revoke</button></form>`}</td></tr>`,
      )}</tbody></table></div>
    <form class="stack card" method="post" action="/console/settings/api-keys" novalidate>
      <h2>Create an API key</h2>
      ${csrfField(s.csrfToken)}
      ${field({ name: "name", label: "Name", value: o.name, required: true, error: o.errors?.name, maxlength: NAME_MAX, hint: "What uses it, e.g. “LMS sync”." })}
      <fieldset ${o.errors?.scopes ? html`aria-describedby="f-scopes-error"` : ""}><legend>Scopes</legend>
        ${API_KEY_SCOPES.map((scope) => html`<div><input type="checkbox" id="f-scope-${scope}" name="scopes" value="${scope}" /> <label for="f-scope-${scope}">${scope}: ${SCOPE_DESCRIPTIONS[scope]}</label></div>`)}
        ${o.errors?.scopes ? html`<p class="error" id="f-scopes-error">${o.errors.scopes}</p>` : ""}
      </fieldset>
      <div><button type="submit">Create key</button></div>
    </form>`;
  return c.html(await page({ title: "API keys", session: s, current: "/console/settings/api-keys", body }), o.status ?? 200);
}

export function registerApiKeyPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/api-keys", signedIn(), requirePermission("manage"), (c) => keysPage(c));

  app.post("/settings/api-keys", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const name = formText(c.var.form, "name", NAME_MAX + 1).trim();
    const sent = c.var.form.scopes;
    const scopes = API_KEY_SCOPES.filter((scope) => (Array.isArray(sent) ? sent : [sent]).includes(scope)) as ApiKeyScope[];
    const errors: Record<string, string> = {};
    if (!name || name.length > NAME_MAX) errors.name = `Give a name of 1 to ${NAME_MAX} characters.`;
    if (scopes.length === 0) errors.scopes = "Choose at least one scope.";
    if (Object.keys(errors).length) return keysPage(c, { errors, name, status: 400 });
    const db = database(c.env);
    const created = await createApiKey(db, s.org.id, { name, scopes });
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "api-key.create", target: created.id, detail: { name, scopes: scopes.join(" ") } });
    return keysPage(c, { secret: created.apiKey });
  });

  app.post("/settings/api-keys/:id/revoke", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const id = c.req.param("id").slice(0, 64);
    const db = database(c.env);
    if (!(await deleteApiKey(db, s.org.id, id))) return keysPage(c, { message: "No API key of your org has this id.", status: 404 });
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "api-key.revoke", target: id });
    return keysPage(c, { message: "The key is revoked: it stops working within seconds." });
  });
}
