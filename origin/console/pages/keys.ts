// Settings → Signing keys: the org's keys (kid, algorithm, created, status, re-signing progress),
// rotate, and revoke a compromised key with a reason behind a confirmation step. Owners and
// admins; the same services and follow-up jobs as GET /v1/keys, POST /v1/keys/rotate and
// POST /v1/keys/:keyId/revoke.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { kickWebhooks } from "../../queues/webhooks.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { enqueueAfterCommit } from "../../services/jobs/enqueue.ts";
import { isUniqueViolation } from "../../services/orgs/create-org.ts";
import { enqueueRevocationJobs, revokeSigningKey } from "../../services/signing/revoke-key.ts";
import { listSigningKeys, rotateSigningKey } from "../../services/signing/signing-keys.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, formatDate, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

const REASON_MAX = 500;
const KID_MAX = 128;

const STATUS_TEXT = {
  active: "active: signs new credentials",
  retired: "retired: rotated out, still verifies what it signed",
  revoked: "revoked",
} as const;

type KeyRow = Awaited<ReturnType<typeof listSigningKeys>>[number];

function keyPath(kid: string): string {
  return `/console/settings/keys/${encodeURIComponent(kid)}/revoke`;
}

async function keysPage(c: Context<ConsoleHono>, o: { message?: string; status?: 200 | 404 | 409 } = {}) {
  const s = c.var.session;
  const keys = await listSigningKeys(database(c.env), s.org.id);
  const body = html`${notice(o.message, o.status && o.status !== 200 ? "alert" : "notice")}
    <p>Credentials are signed with the active key. Rotating makes a new active key; the old one keeps verifying what it signed.
      Revoke a key only if its private part may be exposed: credentials it signed are re-signed with the active key.</p>
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Key id</th><th scope="col">Algorithm</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"><span class="hint">Action</span></th></tr></thead>
      <tbody>${keys.map(
        (k: KeyRow) => html`<tr><td><code>${k.kid}</code></td><td>${k.alg}</td><td>${formatDate(k.createdAt)}</td>
          <td>${STATUS_TEXT[k.status]}${k.status === "revoked"
            ? html` on ${formatDate(k.revokedAt)}: ${k.revocationReason ?? ""}<br /><span class="hint">re-signed ${Math.min(k.resignDone, k.resignTotal)} of ${k.resignTotal} credentials</span>`
            : ""}</td>
          <td>${k.status === "revoked" ? "" : html`<a href="${keyPath(k.kid)}" aria-label="Revoke key ${k.kid}">Revoke…</a>`}</td></tr>`,
      )}</tbody></table></div>
    <form class="card" method="post" action="/console/settings/keys/rotate">
      ${csrfField(s.csrfToken)}
      <h2>Rotate</h2>
      <p>New credentials will be signed with a new key from now on.</p>
      <button type="submit">Rotate the signing key</button>
    </form>`;
  return c.html(await page({ title: "Signing keys", session: s, current: "/console/settings/keys", body }), o.status ?? 200);
}

async function confirmPage(c: Context<ConsoleHono>, kid: string, o: { reason?: string; error?: string; status?: 200 | 400 } = {}) {
  const s = c.var.session;
  const key = (await listSigningKeys(database(c.env), s.org.id)).find((k) => k.kid === kid);
  if (!key) return keysPage(c, { message: "Your org has no signing key with this id.", status: 404 });
  if (key.status === "revoked") return c.redirect("/console/settings/keys", 303);
  const body = html`<p>Revoking key <code>${key.kid}</code> is final: it leaves your issuer's published keys at once, and until they are
      re-signed with the active key, credentials it signed do not verify.${key.status === "active" ? " It is the active key: a new one replaces it." : ""}</p>
    <form class="stack card" method="post" action="${keyPath(key.kid)}" novalidate>
      ${csrfField(s.csrfToken)}
      ${field({ name: "reason", label: "Reason (kept private to your org)", value: o.reason, required: true, error: o.error, maxlength: REASON_MAX })}
      <div class="actions"><button class="danger" type="submit">Revoke the key</button> <a href="/console/settings/keys">Cancel</a></div>
    </form>`;
  return c.html(await page({ title: "Revoke signing key", session: s, current: "/console/settings/keys", body }), o.status ?? 200);
}

export function registerKeyPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/keys", signedIn(), requirePermission("manage"), (c) => keysPage(c));

  app.post("/settings/keys/rotate", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.keys.rotate";
    const db = database(c.env);
    const kid = await rotateSigningKey(db, c.env, s.org.id, rc.requestId, rc.trace);
    // The same follow-up as the API's rotation: the issuer's published keys, the key.rotated webhook.
    await enqueueAfterCommit(c.env, [{ type: "issuer.publish", orgId: s.org.id, requestId: rc.requestId }], rc.log);
    await kickWebhooks(c.env, s.org.id, rc.requestId, rc.log);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "signing-key.rotate", target: kid });
    return keysPage(c, { message: `Rotated: new credentials are signed with key ${kid}.` });
  });

  app.get("/settings/keys/:kid/revoke", signedIn(), requirePermission("manage"), (c) => confirmPage(c, c.req.param("kid").slice(0, KID_MAX)));

  app.post("/settings/keys/:kid/revoke", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.keys.revoke";
    const kid = c.req.param("kid").slice(0, KID_MAX);
    const reason = formText(c.var.form, "reason", REASON_MAX + 1).trim();
    if (!reason || reason.length > REASON_MAX) return confirmPage(c, kid, { reason, error: `Give a reason of 1 to ${REASON_MAX} characters.`, status: 400 });
    const db = database(c.env);
    let revoked: Awaited<ReturnType<typeof revokeSigningKey>>;
    try {
      revoked = await revokeSigningKey(db, c.env, s.org.id, kid, reason);
    } catch (error) {
      // A rotation or revocation committed between the read and the write (one active key per org).
      if (isUniqueViolation(error, "signing_keys.org_id")) return keysPage(c, { message: "Your org's keys changed meanwhile; look at them again and repeat.", status: 409 });
      throw error;
    }
    if (!revoked) return keysPage(c, { message: "Your org has no signing key with this id.", status: 404 });
    rc.log.info("signing key revoked", { kid, replacedBy: revoked.replacedBy, changed: revoked.changed });
    await enqueueRevocationJobs(db, c.env, s.org.id, kid, rc.requestId, rc.log);
    if (revoked.changed) {
      await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "signing-key.revoke", target: kid, detail: { reason } });
    }
    return keysPage(c, { message: `Key ${kid} is revoked; credentials it signed are being re-signed${revoked.replacedBy ? ` with the new key ${revoked.replacedBy}` : ""}.` });
  });
}
