// Signing in and out, and the one-time setup page (owner setup and invitations) where a member
// sets their password. These forms exist before a session does: their CSRF token is the
// pre-session cookie's (cookies.ts).
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { completeSetup, memberByEmail, memberBySetupToken, setPasswordHash } from "../../services/members/members.ts";
import { decoyPasswordHash, hashPassword, needsRehash, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from "../../services/members/password.ts";
import {
  accountKey,
  ACCOUNT_MAX_FAILURES,
  clearFailures,
  clientKey,
  CLIENT_MAX_FAILURES,
  lockedUntil,
  recordFailure,
} from "../../services/sessions/login-throttle.ts";
import { createSession, endAllSessions, endSession } from "../../services/sessions/sessions.ts";
import { clearSessionCookie, preSessionCsrf, writeSessionCookie } from "../cookies.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, field, notice, page } from "../html.ts";
import { csrf, signedIn } from "../middleware.ts";

// Back to a console page, or to /ops (operators sign in here too: origin/ops/console-operator.ts).
function safeNext(next: string | undefined): string {
  return next && /^\/(console|ops)(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes("//") ? next : "/console";
}

function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip")?.slice(0, 64) ?? "unknown";
}

async function signInPage(c: Context<ConsoleHono>, o: { email?: string; next?: string; error?: string; emailError?: string; status?: 200 | 401 | 429 }) {
  const token = preSessionCsrf(c);
  const body = html`${notice(o.error, "alert")}
    <form class="stack card" method="post" action="/console/sign-in" novalidate>
      ${csrfField(token)}
      <input type="hidden" name="next" value="${safeNext(o.next)}" />
      ${field({ name: "email", label: "Email", type: "email", value: o.email, required: true, autocomplete: "username", error: o.emailError, maxlength: 320 })}
      ${field({ name: "password", label: "Password", type: "password", required: true, autocomplete: "current-password", maxlength: PASSWORD_MAX })}
      <div><button type="submit">Sign in</button></div>
    </form>
    <p><a href="/console/sign-in/passkey">Sign in with a passkey</a></p>`;
  return c.html(await page({ title: "Sign in", body }), o.status ?? 200);
}

function minutesUntil(until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
}

async function setupPage(c: Context<ConsoleHono>, o: { token: string; name: string; email: string; errors?: Record<string, string>; status?: 200 | 400 }) {
  const csrfToken = preSessionCsrf(c);
  const body = html`<p>Welcome, ${o.name}. Choose a password for <strong>${o.email}</strong>; you will sign in with these from now on.</p>
    <form class="stack card" method="post" action="/console/setup" novalidate>
      ${csrfField(csrfToken)}
      <input type="hidden" name="token" value="${o.token}" />
      <input type="hidden" name="username" value="${o.email}" autocomplete="username" />
      ${field({ name: "password", label: "New password", type: "password", required: true, autocomplete: "new-password", hint: `At least ${PASSWORD_MIN} characters.`, error: o.errors?.password, maxlength: PASSWORD_MAX })}
      ${field({ name: "confirm", label: "Repeat the password", type: "password", required: true, autocomplete: "new-password", error: o.errors?.confirm, maxlength: PASSWORD_MAX })}
      <div><button type="submit">Set password and sign in</button></div>
    </form>`;
  return c.html(await page({ title: "Set your password", body }), o.status ?? 200);
}

async function invalidLink(c: Context<ConsoleHono>) {
  const body = html`<p class="alert" role="alert">This link is not valid: it was already used, it expired (links last 24 hours), or it was mistyped. Ask your org's owner or an admin for a new invitation.</p>
    <p><a href="/console/sign-in">Go to sign-in</a></p>`;
  return c.html(await page({ title: "Link not valid", body }), 404);
}

export function registerAuthPages(app: Hono<ConsoleHono>): void {
  app.get("/sign-in", (c) => signInPage(c, { next: c.req.query("next") }));

  app.post("/sign-in", csrf(), async (c) => {
    c.var.rc.operation = "console.sign-in";
    const form = c.var.form;
    const email = formText(form, "email", 320).trim().toLowerCase();
    const password = formText(form, "password", PASSWORD_MAX + 1);
    const next = formText(form, "next", 500);
    if (!email) return signInPage(c, { next, emailError: "Enter your email address.", status: 401 });
    const db = database(c.env);
    const keys = [accountKey(email), clientKey(clientIp(c))];
    const locked = await lockedUntil(db, keys);
    if (locked) {
      return signInPage(c, { email, next, status: 429, error: `Too many failed sign-ins. Sign-in is locked for ${minutesUntil(locked)} more minute(s); try again then.` });
    }
    const member = await memberByEmail(db, email);
    // Unknown email or no password yet: verify against a decoy, so the answer takes as long as a wrong password.
    const ok = (await verifyPassword(password.slice(0, PASSWORD_MAX), member?.passwordHash ?? (await decoyPasswordHash()))) && Boolean(member?.passwordHash);
    if (!ok || !member) {
      await recordFailure(db, keys[0]!, ACCOUNT_MAX_FAILURES);
      await recordFailure(db, keys[1]!, CLIENT_MAX_FAILURES);
      if (member) await recordAudit(db, { orgId: member.orgId, memberId: member.id, actor: member.email, action: "session.sign-in-failed" });
      const nowLocked = await lockedUntil(db, keys);
      const error = nowLocked
        ? `Too many failed sign-ins. Sign-in is locked for ${minutesUntil(nowLocked)} more minute(s); try again then.`
        : "The email or password is wrong.";
      return signInPage(c, { email, next, status: nowLocked ? 429 : 401, error });
    }
    await clearFailures(db, keys[0]!);
    if (needsRehash(member.passwordHash!)) await setPasswordHash(db, member.id, await hashPassword(password));
    writeSessionCookie(c, await createSession(db, member));
    await recordAudit(db, { orgId: member.orgId, memberId: member.id, actor: member.email, action: "session.sign-in" });
    return c.redirect(safeNext(next), 303);
  });

  app.get("/setup", async (c) => {
    const token = (c.req.query("token") ?? "").slice(0, 100);
    const member = await memberBySetupToken(database(c.env), token);
    if (!member) return invalidLink(c);
    return setupPage(c, { token, name: member.name, email: member.email });
  });

  app.post("/setup", csrf(), async (c) => {
    c.var.rc.operation = "console.setup";
    const form = c.var.form;
    const token = formText(form, "token", 100);
    const db = database(c.env);
    const member = await memberBySetupToken(db, token);
    if (!member) return invalidLink(c);
    const password = formText(form, "password", PASSWORD_MAX + 1);
    const errors: Record<string, string> = {};
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) errors.password = `Use ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;
    else if (formText(form, "confirm", PASSWORD_MAX + 1) !== password) errors.confirm = "The two passwords differ.";
    if (Object.keys(errors).length) return setupPage(c, { token, name: member.name, email: member.email, errors, status: 400 });
    const done = await completeSetup(db, token, await hashPassword(password));
    if (!done) return invalidLink(c); // used a moment ago by a concurrent request
    writeSessionCookie(c, await createSession(db, done));
    await recordAudit(db, { orgId: done.orgId, memberId: done.id, actor: done.email, action: "member.password-set" });
    return c.redirect("/console", 303);
  });

  app.post("/sign-out", signedIn(), csrf(), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    await endSession(db, s.idHash);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "session.sign-out" });
    clearSessionCookie(c);
    return c.redirect("/console/sign-in", 303);
  });

  app.post("/sign-out-everywhere", signedIn(), csrf(), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    await endAllSessions(db, s.member.id);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "session.sign-out-everywhere" });
    clearSessionCookie(c);
    return c.redirect("/console/sign-in", 303);
  });
}
