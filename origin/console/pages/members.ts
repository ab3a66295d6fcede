// Settings → Members (invite with a role: the one-time link is emailed through the mail sender,
// and shown to the inviter only when mail is not configured or fails; change a member's role;
// remove) and Settings → Audit log. Owners and admins only; only an owner may give, take or
// remove the owner role, and the org always keeps an owner who can sign in.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { MEMBER_ROLES, type MemberRole } from "../../db/schema/index.ts";
import { originSetting } from "../../env.ts";
import { listAudit, recordAudit } from "../../services/audit/audit-log.ts";
import { RecipientEmail, RecipientName } from "../../services/issuance/recipient.ts";
import { sendInvitation } from "../../services/members/invitation-mail.ts";
import { addPendingMember, changeRole, findMember, listMembers, removeMember, setupUrl, type MemberRow } from "../../services/members/members.ts";
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

/** Whether the signed-in member may remove this member (never themselves; an owner only by an owner). */
function mayManage(s: ConsoleHono["Variables"]["session"], m: MemberRow): boolean {
  return m.id !== s.member.id && mayChangeRole(s, m);
}

/** Whether the signed-in member may change this member's role (their own too: an owner handing over ownership). */
function mayChangeRole(s: ConsoleHono["Variables"]["session"], m: MemberRow): boolean {
  return m.role !== "owner" || s.member.role === "owner";
}

/** The roles the signed-in member may give. */
function givableRoles(s: ConsoleHono["Variables"]["session"]): MemberRole[] {
  return MEMBER_ROLES.filter((r) => r !== "owner" || s.member.role === "owner");
}

function roleForm(s: ConsoleHono["Variables"]["session"], m: MemberRow) {
  const id = `role-${m.id}`;
  return html`<form class="inline" method="post" action="/console/settings/members/${m.id}/role">${csrfField(s.csrfToken)}
    <label class="visually-hidden" for="${id}">Role of ${m.email}</label>
    <select id="${id}" name="role">${givableRoles(s).map((r) => html`<option value="${r}" ${r === m.role ? html`selected` : ""}>${r}</option>`)}</select>
    <button class="secondary" type="submit" aria-label="Change the role of ${m.email}">Change</button></form>`;
}

async function membersPage(c: Context<ConsoleHono>, o: { values?: Record<string, string>; errors?: Record<string, string>; link?: string; message?: string; alert?: string; status?: 200 | 400 | 403 | 404 | 409 } = {}) {
  const s = c.var.session;
  const rows = await listMembers(database(c.env), s.org.id);
  const v = o.values ?? {};
  const body = html`${notice(o.message)}${notice(o.alert, "alert")}
    ${o.link
      ? html`<div class="notice" role="status"><p>Invitation made, but it could not be emailed. Send this one-time link (valid 24 hours) to the new member:</p><code class="secret">${o.link}</code></div>`
      : ""}
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col"><span class="hint">Action</span></th></tr></thead>
      <tbody>${rows.map(
        (m) => html`<tr><td>${m.name}</td><td>${m.email}</td><td>${mayChangeRole(s, m) ? roleForm(s, m) : m.role}</td><td>${m.passwordHash ? "active" : "invited"}</td>
          <td>${mayManage(s, m)
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
          ${givableRoles(s).map(
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
    let added: Awaited<ReturnType<typeof addPendingMember>>;
    try {
      added = await addPendingMember(db, { orgId: s.org.id, email: email.data, name: name.data, role });
    } catch (error) {
      if ((error as { code?: string }).code === "MEMBER_EXISTS") {
        return membersPage(c, { values, errors: { email: "This email already has a console account." }, status: 409 });
      }
      throw error;
    }
    const link = setupUrl(originSetting(c.env, "ORIGIN_BASE_URL"), added.token);
    const emailed = await sendInvitation(
      c.env,
      { memberId: added.member.id, to: added.member.email, name: added.member.name, role, orgName: s.org.name, inviterName: s.member.name, setupUrl: link },
      c.var.rc.log,
    );
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "member.invite", target: added.member.email, detail: { role, emailed: emailed ? "yes" : "no" } });
    return emailed
      ? membersPage(c, { message: `Invitation emailed to ${added.member.email}: its one-time link works for 24 hours.` })
      : membersPage(c, { link });
  });

  app.post("/settings/members/:id/role", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.members.role";
    const db = database(c.env);
    const member = await findMember(db, s.org.id, c.req.param("id").slice(0, 64));
    if (!member) return membersPage(c, { alert: "No member of your org has this id.", status: 404 });
    const role = givableRoles(s).find((r) => r === formText(c.var.form, "role", 10));
    if (!mayChangeRole(s, member) || !role) return membersPage(c, { alert: "You cannot give this member that role.", status: 403 });
    if (role === member.role) return membersPage(c, { message: `${member.email} is already ${role}.` });
    if (!(await changeRole(db, s.org.id, member.id, role))) {
      return membersPage(c, { alert: "Not changed: your org must keep an owner who can sign in. Make another member owner first.", status: 409 });
    }
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "member.role", target: member.email, detail: { from: member.role, to: role } });
    return membersPage(c, { message: `${member.email} is now ${role}.` });
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
