// Issue one credential from a form, through the same issuance service as POST /v1/credentials. The
// form carries a key made when it was shown; it is the Idempotency-Key of the submission (scoped
// "console:"), so a double submit, or a reload of the answer, never issues twice.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { findAchievement, listAchievements } from "../../services/achievements/achievements.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { claimIdempotencyKey, releaseIdempotencyKey } from "../../services/idempotency/store.ts";
import { issueCredentials } from "../../services/issuance/issue.ts";
import { RecipientEmail, RecipientName } from "../../services/issuance/recipient.ts";
import { enqueueAfterCommit } from "../../services/jobs/enqueue.ts";
import { sha256Hex } from "../../auth/tokens.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

interface IssueForm {
  achievementId: string;
  name: string;
  email: string;
  formKey: string;
}

async function issueFormPage(c: Context<ConsoleHono>, values: Partial<IssueForm> = {}, errors: Record<string, string> = {}, status: 200 | 400 | 409 = 200, message?: string) {
  const s = c.var.session;
  const achievements = await listAchievements(database(c.env), s.org.id, null, 100);
  const formKey = values.formKey || crypto.randomUUID();
  const body = html`${notice(message, "alert")}
    <p>Many recipients? <a href="/console/issue/batch">Upload a CSV</a>.</p>
    ${achievements.length === 0
      ? html`<p class="alert" role="alert">Your org has no achievement yet: <a href="/console/achievements/new">create one first</a>.</p>`
      : html`<form class="stack card" method="post" action="/console/issue" novalidate>
          ${csrfField(s.csrfToken)}
          <input type="hidden" name="formKey" value="${formKey}" />
          <div><label for="f-achievementId">Achievement</label>
            <select id="f-achievementId" name="achievementId" required ${errors.achievementId ? html`aria-invalid="true" aria-describedby="f-achievementId-error"` : ""}>
              ${achievements.map((a) => html`<option value="${a.id}" ${a.id === values.achievementId ? html`selected` : ""}>${a.name}</option>`)}
            </select>
            ${errors.achievementId ? html`<p class="error" id="f-achievementId-error">${errors.achievementId}</p>` : ""}</div>
          ${field({ name: "name", label: "Recipient name", value: values.name, required: true, error: errors.name, autocomplete: "off", maxlength: 200 })}
          ${field({ name: "email", label: "Recipient email", type: "email", value: values.email, required: true, error: errors.email, autocomplete: "off", maxlength: 320 })}
          <div><button type="submit">Issue credential</button></div>
        </form>`}`;
  return c.html(await page({ title: "Issue a credential", session: s, current: "/console/issue", body }), status);
}

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined {
  return result.success ? undefined : (result.error?.issues[0]?.message ?? "is not valid");
}

export function registerIssuePages(app: Hono<ConsoleHono>): void {
  app.get("/issue", signedIn(), requirePermission("issue"), (c) => issueFormPage(c));

  app.post("/issue", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.credentials.create";
    const form = c.var.form;
    const values: IssueForm = {
      achievementId: formText(form, "achievementId", 64),
      name: formText(form, "name", 300),
      email: formText(form, "email", 400),
      formKey: formText(form, "formKey", 64),
    };
    // The same field rules as the API's body (services/issuance/recipient.ts).
    const name = RecipientName.safeParse(values.name);
    const email = RecipientEmail.safeParse(values.email);
    const errors: Record<string, string> = {};
    if (!name.success) errors.name = `Name ${firstIssue(name)}.`;
    if (!email.success) errors.email = `Email ${firstIssue(email)}.`;
    const db = database(c.env);
    const achievement = values.achievementId ? await findAchievement(db, s.org.id, values.achievementId) : null;
    if (!achievement) errors.achievementId = "Choose one of your org's achievements.";
    if (!/^[\w-]{8,64}$/.test(values.formKey)) return issueFormPage(c, { ...values, formKey: "" }, errors, 400, "The form was incomplete; check it and submit again.");
    if (Object.keys(errors).length || !achievement || !name.success || !email.success) return issueFormPage(c, values, errors, 400);

    const key = `console:${values.formKey}`;
    const fingerprint = await sha256Hex(JSON.stringify([achievement.id, name.data, email.data]));
    const claim = await claimIdempotencyKey(db, s.org.id, key, fingerprint);
    if (claim.kind === "completed") return c.redirect(`/console/credentials/${(JSON.parse(claim.body) as { id: string }).id}?done=issued`, 303);
    if (claim.kind === "in_flight") return issueFormPage(c, values, {}, 409, "This form is already being submitted; wait a moment, then look it up under Credentials.");
    if (claim.kind === "mismatch") return issueFormPage(c, { ...values, formKey: "" }, {}, 409, "This form was already used for another recipient; check the values and submit again.");

    const idem = { orgId: s.org.id, key, createdAt: claim.createdAt };
    const [result] = await issueCredentials(c.env, {
      org: s.org,
      achievement,
      recipients: [{ name: name.data, email: email.data }],
      requestId: rc.requestId,
      log: rc.log,
      pooledSlot: true,
      idempotency: { claim: idem, answer: (issued) => ({ status: 201, body: JSON.stringify({ id: issued.credentialId }) }) },
    }).catch(async (error: unknown) => {
      await releaseIdempotencyKey(db, s.org.id, key, claim.createdAt).catch(() => undefined);
      throw error;
    });
    if (!result || !result.ok) {
      await releaseIdempotencyKey(db, s.org.id, key, claim.createdAt);
      const fieldErrors = Object.fromEntries((result && !result.ok ? result.errors : []).map((e) => [e.field, e.detail]));
      return issueFormPage(c, values, fieldErrors, 400);
    }
    await enqueueAfterCommit(c.env, [{ type: "credential.publish", credentialId: result.credentialId, requestId: rc.requestId, fresh: true }], rc.log);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "credential.issue", target: result.credentialId });
    return c.redirect(`/console/credentials/${result.credentialId}?done=issued`, 303);
  });
}
