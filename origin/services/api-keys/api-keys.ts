// An org's API keys: create (the secret is returned once, only its hash is stored), list (never
// the secret) and delete (the row stays with `revokedAt`, so the list shows when).
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "../../../shared/http/problem.ts";
import { isUuid } from "../../../shared/ids.ts";
import { forgetApiKey } from "../../auth/api-key.ts";
import { API_KEY_SCOPES, type ApiKeyScope } from "../../auth/scopes.ts";
import { newApiKey, sha256Hex } from "../../auth/tokens.ts";
import type { Database } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";

/** Keys an org may hold at once (not deleted); a bound on what one org can make the list carry. */
export const MAX_ACTIVE_API_KEYS = 100;
/** The list shows at most this many keys, newest first (deleted keys included). */
export const API_KEY_LIST_LIMIT = 1_000;

/** An API key as listed: never the secret, only its first characters. */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Scopes in their canonical order, without repeats. */
function canonical(scopes: readonly ApiKeyScope[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((s) => scopes.includes(s));
}

/** The row values of a new key; `key` is the secret to show once. */
export async function newApiKeyRow(orgId: string, name: string, scopes: readonly ApiKeyScope[]) {
  const made = newApiKey();
  const row = {
    id: crypto.randomUUID(),
    orgId,
    name,
    scopes: canonical(scopes),
    prefix: made.prefix,
    hash: await sha256Hex(made.key),
    createdAt: new Date(),
  };
  return { row, key: made.key };
}

/** Creates a key; 409 TOO_MANY_API_KEYS when the org already holds MAX_ACTIVE_API_KEYS. */
export async function createApiKey(db: Database, orgId: string, input: { name: string; scopes: readonly ApiKeyScope[] }) {
  const [held] = await db.select({ n: count() }).from(apiKeys).where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)));
  if ((held?.n ?? 0) >= MAX_ACTIVE_API_KEYS) {
    throw new AppError(409, "TOO_MANY_API_KEYS", `An org holds at most ${MAX_ACTIVE_API_KEYS} API keys; delete unused ones first.`);
  }
  const { row, key } = await newApiKeyRow(orgId, input.name, input.scopes);
  await db.insert(apiKeys).values(row);
  return { id: row.id, name: row.name, scopes: row.scopes, apiKey: key, createdAt: row.createdAt.toISOString() };
}

/** The org's keys, newest first (at most API_KEY_LIST_LIMIT). */
export async function listApiKeys(db: Database, orgId: string): Promise<ApiKeyView[]> {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(API_KEY_LIST_LIMIT);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: canonical(r.scopes),
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

/**
 * Deletes (revokes) one of the org's keys; repeating it is harmless. False when the org has no key
 * with this id (another org's key included). This isolate forgets the key at once; others within
 * API_KEY_CACHE_TTL_MS (origin/auth/api-key.ts).
 */
export async function deleteApiKey(db: Database, orgId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const [row] = await db
    .select({ hash: apiKeys.hash, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id.toLowerCase()), eq(apiKeys.orgId, orgId)))
    .limit(1);
  if (!row) return false;
  if (!row.revokedAt) {
    await db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id.toLowerCase()), isNull(apiKeys.revokedAt)));
  }
  forgetApiKey(row.hash);
  return true;
}
