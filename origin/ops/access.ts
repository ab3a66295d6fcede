// Who may read /ops: the deployment's operators. For now that is whoever holds the ADMIN_TOKEN,
// sent as `Authorization: Bearer <ADMIN_TOKEN>` (scrapers, curl). A browser sign-in for operators
// is added beside this middleware; every /ops route goes through `opsAccess()`.
import type { MiddlewareHandler } from "hono";
import type { OriginHono } from "../env.ts";
import { adminAuth } from "../auth/admin.ts";

export function opsAccess(): MiddlewareHandler<OriginHono> {
  const admin = adminAuth();
  return async (c, next) => {
    c.var.rc.operation ??= "ops";
    await admin(c, next);
  };
}
