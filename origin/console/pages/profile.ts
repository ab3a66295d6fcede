// Settings → Issuer profile: the issuer's name, URL and logo as credentials, emails and the
// issuer's DID document show them. Every member reads it; owners and admins change it, through the
// same rules as the API (the name and URL of POST /v1/orgs, the checks of PUT /v1/issuer/logo).
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { auditStatement, recordAudit } from "../../services/audit/audit-log.ts";
import type { ImageHeader } from "../../services/issuer-profile/image-header.ts";
import { checkLogo, currentLogo, LOGO_MAX_BYTES, LOGO_MAX_SIDE, logoUrl, removeLogo, setLogo } from "../../services/issuer-profile/logo.ts";
import { enqueueAfterCommit } from "../../services/jobs/enqueue.ts";
import { ORG_NAME_MAX, OrgProfileUpdate, updateOrgProfileStatement } from "../../services/orgs/org-profile.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";

const PATH = "/console/settings/profile";
const URL_MAX = 2_048;

interface ProfileErrors {
  name?: string;
  url?: string;
  logo?: string;
}

interface PageOptions {
  values?: { name: string; url: string };
  errors?: ProfileErrors;
  status?: 200 | 400 | 422;
}

// What a redirect after a change says (?done=…), so a reload does not post again.
const DONE = {
  profile: "Saved. Credentials issued from now on carry the new name and URL; your issuer's public DID document is being republished (caches may show the old one for up to 5 minutes).",
  "profile-unchanged": "Nothing changed.",
  logo: "The logo is saved. Credentials issued from now on carry it, and their emails and certificates show it.",
  "logo-removed": "The logo is removed. Credentials issued from now on have none; earlier ones keep theirs.",
} as const;

const MESSAGES = {
  name: `Give a name of 1 to ${ORG_NAME_MAX} characters.`,
  url: `Give an https:// address of at most ${URL_MAX.toLocaleString("en")} characters, or leave it empty.`,
} as const;

async function profilePage(c: Context<ConsoleHono>, o: PageOptions = {}) {
  const s = c.var.session;
  const canChange = may(s.member.role, "manage");
  const logo = await currentLogo(database(c.env), s.org.id);
  const done = DONE[c.req.query("done") as keyof typeof DONE];
  const values = o.values ?? { name: s.org.name, url: s.org.url ?? "" };
  // The image as the console's own path (the CSP allows images from the console's origin only).
  const logoPath = logo ? new URL(logoUrl(c.env, logo)).pathname : "";
  const logoError = o.errors?.logo;
  const details = canChange
    ? html`<form class="stack card" method="post" action="${PATH}" novalidate>
        ${csrfField(s.csrfToken)}
        <h2>Name and URL</h2>
        ${field({ name: "name", label: "Issuer name", value: values.name, required: true, error: o.errors?.name, maxlength: ORG_NAME_MAX })}
        ${field({ name: "url", label: "Issuer URL (optional)", type: "url", value: values.url, error: o.errors?.url, maxlength: URL_MAX, hint: "Your homepage, e.g. https://www.example.edu." })}
        <div><button type="submit">Save name and URL</button></div>
      </form>`
    : html`<section class="card" aria-labelledby="profile-h"><h2 id="profile-h">Name and URL</h2>
        <dl><dt>Issuer name</dt><dd>${s.org.name}</dd><dt>Issuer URL</dt><dd>${s.org.url ?? "none"}</dd></dl>
        <p class="hint">Owners and admins of your org change these.</p></section>`;
  const logoForms = canChange
    ? html`<form class="stack" method="post" action="${PATH}/logo" enctype="multipart/form-data" novalidate>
        ${csrfField(s.csrfToken)}
        <div><label for="f-logo">New logo</label>
          <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg" aria-describedby="f-logo-hint${logoError ? " f-logo-error" : ""}" ${logoError ? html`aria-invalid="true"` : ""} />
          <p class="hint" id="f-logo-hint">PNG or JPEG, at most ${LOGO_MAX_BYTES / 1024} KB and ${LOGO_MAX_SIDE}×${LOGO_MAX_SIDE} pixels.</p>
          ${logoError ? html`<p class="error" id="f-logo-error">${logoError}</p>` : ""}</div>
        <div><button type="submit">Upload the logo</button></div>
      </form>
      ${logo
        ? html`<form method="post" action="${PATH}/logo/remove">${csrfField(s.csrfToken)}<button class="secondary" type="submit">Remove the logo</button></form>`
        : ""}`
    : "";
  const body = html`${notice(done)}${o.status && o.status !== 200 ? notice("Nothing was saved: see the field below.", "alert") : ""}
    <p>Your name, URL and logo appear in the credentials you issue, on their public pages and in the emails recipients get.
      A change applies to credentials issued afterwards: credentials already issued keep what they were signed with.</p>
    ${details}
    <section class="card stack" aria-labelledby="logo-h"><h2 id="logo-h">Logo</h2>
      ${logo
        ? html`<figure class="logo-current"><img src="${logoPath}" alt="The current logo of ${s.org.name}" /></figure>`
        : html`<p>No logo yet.</p>`}
      ${logoForms}
    </section>`;
  return c.html(await page({ title: "Issuer profile", session: s, current: PATH, body }), o.status ?? 200);
}

/** The problem with the uploaded logo, or the checked bytes to store. */
async function checkedUpload(file: unknown): Promise<{ error: string } | { bytes: Uint8Array; header: ImageHeader }> {
  if (!(file instanceof File) || file.size === 0) return { error: "Choose a PNG or JPEG file." };
  // Refused by its declared size before it is read.
  if (file.size > LOGO_MAX_BYTES) return { error: `The logo must be a non-empty image of at most ${LOGO_MAX_BYTES / 1024} KB.` };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = await checkLogo(bytes);
  if ("rule" in header) return { error: `The logo ${header.detail}.` };
  return { bytes, header };
}

export function registerProfilePages(app: Hono<ConsoleHono>): void {
  app.get("/settings/profile", signedIn(), requirePermission("read"), (c) => profilePage(c));

  app.post("/settings/profile", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.profile.update";
    const values = { name: formText(c.var.form, "name", ORG_NAME_MAX * 2), url: formText(c.var.form, "url", URL_MAX + 1).trim() };
    const parsed = OrgProfileUpdate.safeParse({ name: values.name, url: values.url || null });
    if (!parsed.success) {
      const errors: ProfileErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if (key === "name" || key === "url") errors[key] = MESSAGES[key];
      }
      return profilePage(c, { values, errors, status: 400 });
    }
    const profile = parsed.data;
    if (profile.name === s.org.name && profile.url === s.org.url) return c.redirect(`${PATH}?done=profile-unchanged`, 303);
    const db = database(c.env);
    await db.batch([
      updateOrgProfileStatement(db, s.org.id, profile),
      auditStatement(db, {
        orgId: s.org.id,
        memberId: s.member.id,
        actor: s.member.email,
        action: "issuer-profile.update",
        detail: { name: profile.name, url: profile.url ?? "" },
      }),
    ]);
    // The DID document carries the name and URL: republish it, as POST /v1/orgs does.
    await enqueueAfterCommit(c.env, [{ type: "issuer.publish", orgId: s.org.id, requestId: rc.requestId }], rc.log);
    return c.redirect(`${PATH}?done=profile`, 303);
  });

  app.post("/settings/profile/logo", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.profile.logo.set";
    const upload = await checkedUpload(c.var.form.logo);
    if ("error" in upload) return profilePage(c, { errors: { logo: upload.error }, status: 422 });
    const db = database(c.env);
    const stored = await setLogo(db, s.org.id, upload.bytes, upload.header);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "issuer-logo.set", target: stored.digest });
    return c.redirect(`${PATH}?done=logo`, 303);
  });

  app.post("/settings/profile/logo/remove", signedIn(), csrf(), requirePermission("manage"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.profile.logo.remove";
    const db = database(c.env);
    if (await removeLogo(db, s.org.id)) {
      await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "issuer-logo.remove" });
    }
    return c.redirect(`${PATH}?done=logo-removed`, 303);
  });
}
