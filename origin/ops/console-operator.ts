// /ops for console operators: a signed-in console member whose account the deployment marked as
// operator (origin/services/members/operators.ts) reads /ops with their console session, so its
// cookie flags, idle and absolute expiry and sign-out apply unchanged. Only reads (GET, HEAD): the
// few state-changing /ops calls (fault injection) keep to the admin token, so no /ops form or call
// needs the console's CSRF token.
import type { Context } from "hono";
import { html } from "hono/html";
import { AppError } from "../../shared/http/problem.ts";
import { clearSessionCookie, readSessionCookie } from "../console/cookies.ts";
import { database } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/deadline.ts";
import type { OriginHono } from "../env.ts";
import { loadSession, type ConsoleSession } from "../services/sessions/sessions.ts";
import { opsPage } from "./ops-html.ts";

/**
 * The live console session this request carries (null without one, or for a method that changes
 * state). While the database is down no session can be checked: null too, so the browser goes to
 * the admin-token form, the one way into /ops that needs no database (the dashboard says what it
 * cannot read), rather than a 503.
 */
export async function consoleSessionForOps(c: Context<OriginHono>): Promise<ConsoleSession | null> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const id = readSessionCookie(c);
  if (!id) return null;
  let session: ConsoleSession | null;
  try {
    session = await loadSession(database(c.env), id);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    c.var.rc.log.warn("console session not checked: database unavailable", { reason: (error as Error).message });
    return null;
  }
  if (!session) clearSessionCookie(c); // expired or signed out elsewhere
  return session;
}

/** Whether the session's account is one of the deployment's operators. */
export function isOperator(session: ConsoleSession): boolean {
  return session.member.operatorSince !== null;
}

/**
 * 403 for a signed-in member who is not an operator: a page saying so to a browser (not the
 * admin-token form, which would only send them round again), problem+json to anything else.
 */
export async function notAnOperator(c: Context<OriginHono>, session: ConsoleSession): Promise<Response> {
  if (!(c.req.header("accept") ?? "").includes("text/html")) {
    throw new AppError(403, "FORBIDDEN", "This console account is not an operator of this deployment.");
  }
  const body = html`<p class="alert" role="alert">Your console account (${session.member.email}) is not an operator of this deployment, so it cannot open /ops.</p>
    <p>Operators are named by whoever runs this deployment, not by an org. <a href="/console">Back to the console</a></p>`;
  return c.html(await opsPage("Not an operator", body), 403);
}
