// API-key authentication for every tenant call: the key's SHA-256 hash finds the org.
import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../shared/http/problem.ts";
import { database } from "../db/client.ts";
import { apiKeys, orgs } from "../db/schema/index.ts";
import type { OriginHono } from "../env.ts";
import type { OrgRecord } from "../services/orgs/org-record.ts";
import { API_KEY_PREFIX, bearerToken, sha256Hex } from "./tokens.ts";

/**
 * How long this isolate trusts a successful key → org lookup without asking the database again.
 * The trade-off: a key revoked (or an org renamed) directly in the database keeps working (or keeps
 * its old name) for up to this long in isolates that cached it. Only hits are cached, never
 * misses, so a new key works at once.
 */
export const API_KEY_CACHE_TTL_MS = 5_000;
const MAX_CACHED_KEYS = 1_000;
const cachedKeys = new Map<string, { org: OrgRecord; until: number }>(); // by key hash; resolved rows only

async function orgForKeyHash(c: { env: Parameters<typeof database>[0] }, hash: string): Promise<OrgRecord | null> {
  const now = Date.now();
  const hit = cachedKeys.get(hash);
  if (hit && hit.until > now) return hit.org;
  const [row] = await database(c.env)
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) {
    cachedKeys.delete(hash);
    return null;
  }
  cachedKeys.delete(hash); // re-insert at the end: the map's order is the eviction order
  if (cachedKeys.size >= MAX_CACHED_KEYS) cachedKeys.delete(cachedKeys.keys().next().value!);
  cachedKeys.set(hash, { org: row, until: Date.now() + API_KEY_CACHE_TTL_MS });
  return row;
}

function unauthorized(detail: string): AppError {
  return new AppError(401, "UNAUTHORIZED", detail, { headers: { "www-authenticate": 'Bearer realm="laurel"' } });
}

/**
 * Requires `Authorization: Bearer <api key>`; sets `c.var.org` and the request context's orgId.
 * Lookup is by SHA-256 hash (a unique index), so no stored secret is ever compared in the clear;
 * a successful lookup is cached per isolate for API_KEY_CACHE_TTL_MS (see there for the trade-off).
 */
export function apiKeyAuth(): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw unauthorized("Send your API key as Authorization: Bearer <api key>.");
    if (!token.startsWith(API_KEY_PREFIX) || token.length > 128) throw unauthorized("The API key is not valid.");
    const hash = await sha256Hex(token);
    const row = await orgForKeyHash(c, hash);
    if (!row) throw unauthorized("The API key is not valid.");
    c.set("org", row);
    c.var.rc.orgId = row.id;
    await next();
  };
}
