// Admin authentication for operator calls (`POST /v1/orgs`): the ADMIN_TOKEN secret.
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../shared/http/problem.ts";
import type { OriginHono } from "../env.ts";
import { bearerToken, secretsEqual } from "./tokens.ts";

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`. An unset or empty ADMIN_TOKEN disables admin
 * calls (503 ADMIN_DISABLED) rather than falling back to any default; a missing token answers
 * 401, a wrong one 403. The comparison is constant-time.
 */
export function adminAuth(): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) throw new AppError(503, "ADMIN_DISABLED", "Admin calls are disabled: ADMIN_TOKEN is not configured.");
    const given = bearerToken(c.req.header("authorization"));
    if (!given) {
      throw new AppError(401, "UNAUTHORIZED", "Send the admin token as Authorization: Bearer <token>.", {
        headers: { "www-authenticate": 'Bearer realm="laurel-admin"' },
      });
    }
    if (!(await secretsEqual(given, expected))) throw new AppError(403, "FORBIDDEN", "The admin token is not valid.");
    c.var.rc.operation ??= "admin";
    await next();
  };
}
