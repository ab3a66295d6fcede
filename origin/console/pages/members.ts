// Settings → Members (invite with a role; the one-time link is shown to the inviter until the mail
// sender lands; remove) and Settings → Audit log. Owners and admins only; only an owner may
// invite or remove an owner.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { MEMBER_ROLES, type MemberRole } from "../../db/schema/index.ts";
import { originSetting } from "../../env.ts";
import { listAudit, recordAudit } from "../../services/audit/audit-log.ts";
import { RecipientEmail, RecipientName } from "../../services/issuance/recipient.ts";
import { addPendingMember, findMember, listMembers, removeMember, setupUrl } from "../../services/members/members.ts";
import { endAllSessions } from "../../services/sessions/sessions.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, formatDate, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

const ROLE_HELP: Record<MemberRole, string> = {
  owner: "everything",
  admin: "everything but deleting the org",
  issuer: "achievements, issuing, revoking",
  viewer: "read only",
};

async function membersPage(c: Context<ConsoleHono>, o: { values?: Record<string, string>; errors?: Record<string, string>; link?: string; message?: string; status?: 200 | 400 | 409 } = {}) {
  const s = c.var.session;
  const rows = await listMembers(database(c.env), s.org.id);
  const v = o.values ?? {};
  const body = html`${notice(o.message)}
    ${o.link
      ? html`<div class="notice" role="status"><p>Invitation made. Send this one-time link (valid 24 hours) to the new member:</p><code class="secret">${o.link}</code></div>`
      : ""}
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col"><span class="hint">Action</span></th></tr></thead>
      <tbody>${rows.map(
        (m) => html`<tr><td>${m.name}</td><td>${m.email}</td><td>${m.role}</td><td>${m.passwordHash ? "active" : "invited"}</td>
          <td>${m.id !== s.member.id && (m.role !== "owner" || s.member.role === "owner")
            ? html`<form method="post" action="/console/settings/members/${m.id}/remove">${csrfField(s.csrfToken)}<button class="secondary" type="submit" aria-label="Remove ${m.email}">Remove</button></form>`
            : ""}</td></tr>`,
      )}</tbody></table></div>
    <form class="stack card" method="post" action="/console/settings/members" novalidate>
      <h2>Invite a member</h2>
      ${csrfField(s.csrfToken)}
      ${field({ name: "name", label: "Name", value: v.name, required: true, error: o.errors?.name, maxlength: 200, autocomplete: "off" })}
      ${field({ name: "email", label: "Email", type: "email", value: v.email, required: true, error: o.errors?.email, maxlength: 320, autocomplete: "off" })}
      <div><label for="f-role">Role</label>
        <select id="f-role" name="role" ${o.errors?.role ? html`aria-invalid="true" aria-describedby="f-role-error"` : ""}>
          ${MEMBER_ROLES.filter((r) => r !== "owner" || s.member.role === "owner").map(
            (r) => html`<option value="${r}" ${r === (v.role ?? "issuer") ? html`selected` : ""}>${r}: ${ROLE_HELP[r]}</option>`,
          )}
        </select>
        ${o.errors?.role ? html`<p class="error" id="f-role-error">${o.errors.role}</p>` : ""}</div>
      <div><button type="submit">Invite</button></div>
    </form>`;
  return c.html(await page({ title: "Members", session: s, current: "/console/settings/members", body }), o.status ?? 200);
}

export function registerMemberPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/members", signedIn(), requirePermission("manage"), (c) => membersPage(c));

  app.post("/settings/members", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.members.invite";
    const values = { name: formText(c.var.form, "name", 300), email: formText(c.var.form, "email", 400), role: formText(c.var.form, "role", 10) };
    const name = RecipientName.safeParse(values.name);
    const email = RecipientEmail.safeParse(values.email);
    const errors: Record<string, string> = {};
    if (!name.success) errors.name = "Enter a name of 1-200 characters.";
    if (!email.success) errors.email = "Enter an email address.";
    const role = MEMBER_ROLES.find((r) => r === values.role);
    if (!role || (role === "owner" && s.member.role !== "owner")) errors.role = "Choose a role you may give.";
    if (Object.keys(errors).length || !name.success || !email.success || !role) return membersPage(c, { values, errors, status: 400 });
    const db = database(c.env);
    let token: string;
    try {
      ({ token } = await addPendingMember(db, { orgId: s.org.id, email: email.data, name: name.data, role }));
    } catch (error) {
      if ((error as { code?: string }).code === "MEMBER_EXISTS") {
        return membersPage(c, { values, errors: { email: "This email already has a console account." }, status: 409 });
      }
      throw error;
    }
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "member.invite", target: email.data, detail: { role } });
    return membersPage(c, { link: setupUrl(originSetting(c.env, "ORIGIN_BASE_URL"), token) });
  });

  app.post("/settings/members/:id/remove", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const member = await findMember(db, s.org.id, c.req.param("id").slice(0, 64));
    if (!member) return c.html(await page({ title: "Not found", session: s, body: html`<p class="alert" role="alert">No member of your org has this id.</p>` }), 404);
    if (member.id === s.member.id || (member.role === "owner" && s.member.role !== "owner")) {
      return c.html(await page({ title: "Not allowed", session: s, body: html`<p class="alert" role="alert">You cannot remove this member.</p>` }), 403);
    }
    await removeMember(db, s.org.id, member.id);
    await endAllSessions(db, member.id);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "member.remove", target: member.email });
    return membersPage(c, { message: `${member.email} was removed.` });
  });

  app.get("/settings/audit", signedIn(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const rows = await listAudit(database(c.env), s.org.id, 200);
    const body = html`<div class="table-wrap"><table>
      <caption class="hint">The latest 200 entries, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On</th><th scope="col">Details</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr><td>${formatDate(r.at)}</td><td>${r.actor}</td><td>${r.action}</td><td>${r.target}</td>
          <td>${Object.entries(r.detail ?? {}).map(([k, v]) => `${k}: ${v}`).join("; ")}</td></tr>`,
      )}</tbody></table></div>`;
    return c.html(await page({ title: "Audit log", session: s, current: "/console/settings/audit", body }));
  });
}
