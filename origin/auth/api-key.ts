// API-key authentication for every tenant call: the key's SHA-256 hash finds the org.
import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../shared/http/problem.ts";
import { database } from "../db/client.ts";
import { apiKeys, orgs } from "../db/schema/index.ts";
import type { OriginHono } from "../env.ts";
import { API_KEY_PREFIX, bearerToken, sha256Hex } from "./tokens.ts";

function unauthorized(detail: string): AppError {
  return new AppError(401, "UNAUTHORIZED", detail, { headers: { "www-authenticate": 'Bearer realm="laurel"' } });
}

/**
 * Requires `Authorization: Bearer <api key>`; sets `c.var.org` and the request context's orgId.
 * Lookup is by SHA-256 hash (a unique index), so no stored secret is ever compared in the clear.
 */
export function apiKeyAuth(): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw unauthorized("Send your API key as Authorization: Bearer <api key>.");
    if (!token.startsWith(API_KEY_PREFIX) || token.length > 128) throw unauthorized("The API key is not valid.");
    const hash = await sha256Hex(token);
    const [row] = await database(c.env)
      .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url })
      .from(apiKeys)
      .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!row) throw unauthorized("The API key is not valid.");
    c.set("org", row);
    c.var.rc.orgId = row.id;
    await next();
  };
}
