// Passkeys: every member registers and removes their own (Settings → Passkeys) and may sign in with
// one instead of the password (/console/sign-in/passkey). WebAuthn needs a script
// (assets/passkey-script.ts); without it the forms stay hidden and the password still works.
// Verification: services/passkeys. The options endpoints answer JSON for the script.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { memberByEmail } from "../../services/members/members.ts";
import { MAX_RESPONSE_CHARS, PASSKEY_NAME_MAX, relyingParty } from "../../services/passkeys/relying-party.ts";
import { clientKey, CLIENT_MAX_FAILURES, lockedUntil, recordFailure } from "../../services/sessions/login-throttle.ts";
import { createSession } from "../../services/sessions/sessions.ts";
import { preSessionCsrf, readPreSessionCsrf, writeSessionCookie } from "../cookies.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, formatDate, notice, page, type Html } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

// The WebAuthn verifier (@simplewebauthn/server with its ASN.1 and X.509 modules) is loaded on the
// first passkey request, not when the Worker starts: most requests never need it.
const passkeys = () => import("../../services/passkeys/passkeys.ts");

export const PASSKEYS_PATH = "/console/settings/passkeys";

const SCRIPTS = html`<script src="/console/assets/simplewebauthn-browser.js" defer></script><script src="/console/assets/passkeys.js" defer></script>`;
const UNSUPPORTED = html`<p class="alert" data-passkey-unsupported hidden>This browser cannot use passkeys.</p>
  <noscript><p class="alert">Passkeys need JavaScript; sign in with your password instead.</p></noscript>`;

/** Passkeys work only on the relying party's origin: elsewhere (e.g. 127.0.0.1 locally) the page says where. */
function elsewhereNotice(c: Context<ConsoleHono>, path: string): Html | string {
  const { origin } = relyingParty(c.env);
  if (new URL(c.req.url).origin === origin) return "";
  return html`<p class="notice">Passkeys work on <a href="${origin}${path}">${origin}${path}</a>.</p>`;
}

function passkeyForm(o: { kind: "register" | "sign-in"; action: string; optionsUrl: string; csrf: string; fields?: Html; submit: string }): Html {
  return html`<form class="stack card" method="post" action="${o.action}" data-passkey="${o.kind}" data-options-url="${o.optionsUrl}" hidden>
    ${csrfField(o.csrf)}<input type="hidden" name="response" value="" />
    ${o.fields ?? ""}
    <div><button type="submit">${o.submit}</button></div>
    <p class="hint" role="status" data-passkey-status></p>
  </form>`;
}

async function settingsPage(c: Context<ConsoleHono>, o: { message?: string; error?: string; status?: 200 | 400 | 404 } = {}) {
  const s = c.var.session;
  const keys = await (await passkeys()).listPasskeys(database(c.env), s.member.id);
  const body = html`${notice(o.message ?? (c.req.query("done") === "added" ? "The passkey is added: you can sign in with it." : undefined))}${notice(o.error, "alert")}
    <p>A passkey signs you in without your password, with your device's screen lock or a security key.</p>
    ${elsewhereNotice(c, PASSKEYS_PATH)}
    ${keys.length === 0
      ? html`<p>You have no passkey yet.</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Name</th><th scope="col">Added</th><th scope="col">Last used</th><th scope="col">Action</th></tr></thead>
      <tbody>${keys.map(
        (k) => html`<tr><td>${k.name}</td><td>${formatDate(k.createdAt)}</td><td>${k.lastUsedAt ? formatDate(k.lastUsedAt) : "never"}</td>
          <td><form method="post" action="${PASSKEYS_PATH}/${encodeURIComponent(k.id)}/remove">${csrfField(s.csrfToken)}<button class="secondary" type="submit" aria-label="Remove ${k.name}">Remove</button></form></td></tr>`,
      )}</tbody></table></div>`}
    ${UNSUPPORTED}
    ${passkeyForm({
      kind: "register",
      action: PASSKEYS_PATH,
      optionsUrl: `${PASSKEYS_PATH}/options`,
      csrf: s.csrfToken,
      submit: "Add a passkey",
      fields: field({ name: "name", label: "Passkey name", required: true, maxlength: PASSKEY_NAME_MAX, hint: "Which device, e.g. “work laptop”." }),
    })}
    ${SCRIPTS}`;
  return c.html(await page({ title: "Passkeys", session: s, current: PASSKEYS_PATH, body }), o.status ?? 200);
}

async function signInPage(c: Context<ConsoleHono>, o: { error?: string; status?: 200 | 401 | 429 } = {}) {
  const body = html`${notice(o.error, "alert")}
    ${elsewhereNotice(c, "/console/sign-in/passkey")}
    ${UNSUPPORTED}
    ${passkeyForm({ kind: "sign-in", action: "/console/sign-in/passkey", optionsUrl: "/console/sign-in/passkey/options", csrf: preSessionCsrf(c), submit: "Sign in with a passkey" })}
    <p><a href="/console/sign-in">Sign in with email and password</a></p>
    ${SCRIPTS}`;
  return c.html(await page({ title: "Sign in with a passkey", body }), o.status ?? 200);
}

const problem = (c: Context, status: 400 | 409 | 429, detail: string) => c.json({ detail }, status);

function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip")?.slice(0, 64) ?? "unknown";
}

export function registerPasskeyPages(app: Hono<ConsoleHono>): void {
  app.get("/settings/passkeys", signedIn(), requirePermission("read"), (c) => settingsPage(c));

  app.post("/settings/passkeys/options", signedIn(), csrf(), requirePermission("read"), async (c) => {
    const db = database(c.env);
    const member = await memberByEmail(db, c.var.session.member.email);
    if (!member) return problem(c, 409, "Your account is not active.");
    const { registrationOptions, PasskeyRefused } = await passkeys();
    try {
      return c.json(await registrationOptions(db, c.env, member));
    } catch (error) {
      if (error instanceof PasskeyRefused) return problem(c, 409, error.message);
      throw error;
    }
  });

  app.post("/settings/passkeys", signedIn(), csrf(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.passkeys.add";
    const db = database(c.env);
    const name = formText(c.var.form, "name", PASSKEY_NAME_MAX + 1).trim();
    if (!name || name.length > PASSKEY_NAME_MAX) return settingsPage(c, { error: `Give the passkey a name of 1 to ${PASSKEY_NAME_MAX} characters.`, status: 400 });
    const member = await memberByEmail(db, s.member.email);
    if (!member) return settingsPage(c, { error: "Your account is not active.", status: 400 });
    const { finishRegistration, PasskeyRefused } = await passkeys();
    try {
      const added = await finishRegistration(db, c.env, member, name, formText(c.var.form, "response", MAX_RESPONSE_CHARS + 1));
      await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "passkey.add", target: added.name });
    } catch (error) {
      if (error instanceof PasskeyRefused) return settingsPage(c, { error: error.message, status: 400 });
      throw error;
    }
    return c.redirect(`${PASSKEYS_PATH}?done=added`, 303);
  });

  app.post("/settings/passkeys/:id/remove", signedIn(), csrf(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const id = c.req.param("id").slice(0, 1400);
    if (!(await (await passkeys()).deletePasskey(db, s.member.id, id))) return settingsPage(c, { error: "You have no passkey with this id.", status: 404 });
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "passkey.remove" });
    return settingsPage(c, { message: "The passkey is removed." });
  });

  app.get("/sign-in/passkey", (c) => signInPage(c));

  app.post("/sign-in/passkey/options", csrf(), async (c) => {
    const db = database(c.env);
    if (await lockedUntil(db, [clientKey(clientIp(c))])) return problem(c, 429, "Too many failed sign-ins from here; try again later.");
    return c.json(await (await passkeys()).signInOptions(db, c.env, readPreSessionCsrf(c)!));
  });

  app.post("/sign-in/passkey", csrf(), async (c) => {
    c.var.rc.operation = "console.sign-in.passkey";
    const db = database(c.env);
    const client = clientKey(clientIp(c));
    if (await lockedUntil(db, [client])) return signInPage(c, { error: "Too many failed sign-ins from here; try again later.", status: 429 });
    const { finishSignIn, PasskeyRefused } = await passkeys();
    try {
      const member = await finishSignIn(db, c.env, readPreSessionCsrf(c)!, formText(c.var.form, "response", MAX_RESPONSE_CHARS + 1));
      writeSessionCookie(c, await createSession(db, member));
      await recordAudit(db, { orgId: member.orgId, memberId: member.id, actor: member.email, action: "session.sign-in", detail: { with: "passkey" } });
      return c.redirect("/console", 303);
    } catch (error) {
      if (!(error instanceof PasskeyRefused)) throw error;
      await recordFailure(db, client, CLIENT_MAX_FAILURES);
      return signInPage(c, { error: error.message, status: 401 });
    }
  });
}
