// The console's gatekeepers, in the order routes use them: `signedIn` (a live session, else the
// sign-in page), `csrf` (every POST repeats the session's token, else 403), `requirePermission`
// (the member's role may do this, else 403). Another org's ids are the routes' concern: they look
// everything up within the session's org and answer 404.
import type { Context, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { secretsEqual } from "../auth/tokens.ts";
import { database } from "../db/client.ts";
import { loadSession } from "../services/sessions/sessions.ts";
import { clearSessionCookie, readPreSessionCsrf, readSessionCookie } from "./cookies.ts";
import type { ConsoleForm, ConsoleHono } from "./context.ts";
import { page } from "./html.ts";
import { may, type Permission } from "./roles.ts";

/** Largest console form body (a CSV upload included). */
export const MAX_FORM_BYTES = 6 * 1024 * 1024;

/** The sign-in page, remembering where to come back to (same-origin console paths only). */
export function signInRedirect(c: Context, next?: string): Response {
  const back = next && next.startsWith("/console") && !next.startsWith("//") ? `?next=${encodeURIComponent(next)}` : "";
  return c.redirect(`/console/sign-in${back}`, 303);
}

export function signedIn(): MiddlewareHandler<ConsoleHono> {
  return async (c, next) => {
    const id = readSessionCookie(c);
    const session = id ? await loadSession(database(c.env), id) : null;
    if (!session) {
      if (id) clearSessionCookie(c);
      const url = new URL(c.req.url);
      const res = signInRedirect(c, c.req.method === "GET" ? url.pathname + url.search : undefined);
      return res;
    }
    c.var.rc.orgId = session.org.id;
    c.var.rc.log = c.var.rc.log.child({ memberId: session.member.id });
    c.set("session", session);
    c.set("org", session.org);
    await next();
  };
}

async function forbidden(c: Context<ConsoleHono>, message: string): Promise<Response> {
  return c.html(await page({ title: "Not allowed", session: c.var.session, body: html`<p class="alert" role="alert">${message}</p>` }), 403);
}

/** Reads a POST's form (bounded) into `c.var.form` and checks its `_csrf` against the session's token, or the pre-session cookie. */
export function csrf(): MiddlewareHandler<ConsoleHono> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_FORM_BYTES) return c.html(await page({ title: "Too large", body: html`<p class="alert" role="alert">The form is larger than 6 MB.</p>` }), 413);
    let form: ConsoleForm;
    try {
      form = (await c.req.parseBody({ all: true })) as ConsoleForm;
    } catch {
      form = {};
    }
    c.set("form", form);
    const sent = typeof form._csrf === "string" ? form._csrf : "";
    const expected = c.var.session?.csrfToken ?? readPreSessionCsrf(c) ?? "";
    if (!sent || !expected || !(await secretsEqual(sent, expected))) {
      return forbidden(c, "This form has expired or did not come from the console. Go back, reload the page and try again.");
    }
    await next();
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<ConsoleHono> {
  return async (c, next) => {
    if (!may(c.var.session.member.role, permission)) {
      return forbidden(c, `Your role (${c.var.session.member.role}) does not allow this. Ask an owner or admin of your org.`);
    }
    await next();
  };
}
