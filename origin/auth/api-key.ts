// Authentication of every tenant call: an org API key (found by its SHA-256 hash) holding the
// route's scope, or the operator's admin token acting for the org named in `Laurel-Org`.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { isUuid } from "../../shared/ids.ts";
import { AppError } from "../../shared/http/problem.ts";
import { database, type Database } from "../db/client.ts";
import { apiKeys, orgs } from "../db/schema/index.ts";
import type { OriginHono } from "../env.ts";
import type { OrgRecord } from "../services/orgs/org-record.ts";
import { insufficientScope, type ApiKeyScope } from "./scopes.ts";
import { API_KEY_PREFIX, bearerToken, secretsEqual, sha256Hex } from "./tokens.ts";

/**
 * How long this isolate trusts a successful key lookup without asking the database again. It bounds
 * how long a deleted key keeps working in other isolates (the isolate that deletes a key forgets it
 * at once, see `forgetApiKey`); likewise a scope change or org rename. Only hits are cached, never
 * misses, so a new key works at once.
 */
export const API_KEY_CACHE_TTL_MS = 5_000;
/** `lastUsedAt` is kept to this resolution: at most one write per key per this period per isolate. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** The header naming the org an admin-token call acts for (its slug or id). */
export const ORG_HEADER = "laurel-org";

const MAX_CACHED_KEYS = 1_000;

interface KeyGrant {
  org: OrgRecord;
  keyId: string;
  scopes: readonly ApiKeyScope[];
  /** The key's last use as this isolate knows it (read from the row, or written by this isolate). */
  lastUsedAt: number;
}
const cachedKeys = new TtlLru<KeyGrant>(MAX_CACHED_KEYS, API_KEY_CACHE_TTL_MS); // by key hash; resolved rows only
// The last use this isolate wrote, by key id: a re-read row may not show that write yet. Kept for
// LAST_USED_RESOLUTION_MS, after which the next use writes again whatever the row says.
const lastUseWritten = new TtlLru<number>(MAX_CACHED_KEYS, LAST_USED_RESOLUTION_MS);

async function grantForKeyHash(db: Database, hash: string): Promise<KeyGrant | null> {
  const hit = cachedKeys.get(hash);
  if (hit) return hit;
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
      id: orgs.id,
      slug: orgs.slug,
      name: orgs.name,
      url: orgs.url,
    })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const grant: KeyGrant = {
    org: { id: row.id, slug: row.slug, name: row.name, url: row.url },
    keyId: row.keyId,
    scopes: row.scopes,
    // A write this isolate made may not be visible yet: never step back.
    lastUsedAt: Math.max(row.lastUsedAt?.getTime() ?? 0, lastUseWritten.get(row.keyId) ?? 0),
  };
  cachedKeys.set(hash, grant);
  return grant;
}

/** Drops a key from this isolate's cache (after deleting it here); other isolates drop it within API_KEY_CACHE_TTL_MS. */
export function forgetApiKey(hash: string): void {
  cachedKeys.delete(hash);
}

/**
 * Records the key's use, to the minute, off the request's path (waitUntil): the write happens only
 * when the known last use is a minute old, and the UPDATE's condition keeps isolates racing on the
 * same key from writing more than the first one's value.
 */
function noteUse(c: Context<OriginHono>, db: Database, grant: KeyGrant): void {
  const now = Date.now();
  if (now - grant.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
  grant.lastUsedAt = now;
  lastUseWritten.set(grant.keyId, now);
  const write = db
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(and(eq(apiKeys.id, grant.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now - LAST_USED_RESOLUTION_MS)))))
    .then(
      () => undefined,
      (error: unknown) => c.var.rc.log.warn("api key last use not recorded", { apiKeyId: grant.keyId, error }),
    );
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (a direct app.fetch without one): the write still runs, unawaited.
  }
}

function unauthorized(detail: string): AppError {
  return new AppError(401, "UNAUTHORIZED", detail, { headers: { "www-authenticate": 'Bearer realm="laurel"' } });
}

/** The org an admin-token call acts for: `Laurel-Org: <slug or id>`. */
async function orgForAdmin(db: Database, named: string | undefined): Promise<OrgRecord> {
  const value = named?.trim().toLowerCase();
  if (!value) {
    throw new AppError(400, "VALIDATION_FAILED", "The admin token acts for one org: name it in the Laurel-Org header (its slug or id).", {
      errors: [{ field: "header Laurel-Org", rule: "required", detail: "the org's slug or id" }],
    });
  }
  if (value.length > 64) throw notFoundOrg();
  const [org] = await db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url })
    .from(orgs)
    .where(isUuid(value) ? eq(orgs.id, value) : eq(orgs.slug, value))
    .limit(1);
  if (!org) throw notFoundOrg();
  return org;
}

function notFoundOrg(): AppError {
  return new AppError(404, "NOT_FOUND", "No org with that slug or id (Laurel-Org header).");
}

/**
 * Requires `Authorization: Bearer <api key>` holding `scope` (else 403 INSUFFICIENT_SCOPE), or
 * `Bearer <ADMIN_TOKEN>` with `Laurel-Org: <org slug or id>` (every scope, for that org). Sets
 * `c.var.org` and the request context's orgId; the request's log lines name the key (or "admin").
 * A key is found by its SHA-256 hash (a unique index), so no stored secret is ever compared in the
 * clear; a found key is cached per isolate for API_KEY_CACHE_TTL_MS (see there).
 */
export function apiKeyAuth(scope: ApiKeyScope): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw unauthorized("Send your API key as Authorization: Bearer <api key>.");
    const rc = c.var.rc;
    const db = database(c.env);
    let org: OrgRecord;
    if (token.startsWith(API_KEY_PREFIX)) {
      if (token.length > 128) throw unauthorized("The API key is not valid.");
      const grant = await grantForKeyHash(db, await sha256Hex(token));
      if (!grant) throw unauthorized("The API key is not valid.");
      rc.orgId = grant.org.id;
      rc.log = rc.log.child({ apiKeyId: grant.keyId });
      if (!grant.scopes.includes(scope)) throw insufficientScope(scope, `${c.req.method} ${c.req.routePath}`);
      noteUse(c, db, grant);
      org = grant.org;
    } else {
      const admin = c.env.ADMIN_TOKEN;
      if (!admin || token.length > 512 || !(await secretsEqual(token, admin))) throw unauthorized("The API key is not valid.");
      org = await orgForAdmin(db, c.req.header(ORG_HEADER));
      rc.orgId = org.id;
      rc.log = rc.log.child({ actor: "admin" });
    }
    c.set("org", org);
    await next();
  };
}
