// Who may read /ops: the deployment's operators, i.e. whoever holds the ADMIN_TOKEN, sent as
// `Authorization: Bearer <ADMIN_TOKEN>` (scrapers, curl), or a browser that gave it on
// /ops/sign-in and holds the short-lived operator cookie (ops-cookie.ts), or a console member whose
// account the deployment marked as operator, through their console session (console-operator.ts).
// A signed-in member who is not an operator gets 403; a browser with none of these is sent to the
// sign-in form; every other caller gets the admin check's 401/403.
import type { MiddlewareHandler } from "hono";
import type { OriginHono } from "../env.ts";
import { adminAuth } from "../auth/admin.ts";
import { consoleSessionForOps, isOperator, notAnOperator } from "./console-operator.ts";
import { hasOpsSession } from "./ops-cookie.ts";

export function opsAccess(): MiddlewareHandler<OriginHono> {
  const admin = adminAuth();
  return async (c, next) => {
    c.var.rc.operation ??= "ops";
    if (!c.req.header("authorization")) {
      if (await hasOpsSession(c)) return next();
      const session = await consoleSessionForOps(c);
      if (session && !isOperator(session)) return notAnOperator(c, session);
      if (session) {
        c.var.rc.log = c.var.rc.log.child({ memberId: session.member.id });
        return next();
      }
    }
    const browser = c.req.method === "GET" && !c.req.header("authorization") && (c.req.header("accept") ?? "").includes("text/html");
    if (browser && c.env.ADMIN_TOKEN) return c.redirect("/ops/sign-in", 303);
    await admin(c, next);
  };
}
