// Creating a tenant: the org, its first signing key, its first status list and an API key (every
// scope), all in one transaction; then the issuer's DID document and the list are published.
import { eq } from "drizzle-orm";
import { AppError } from "../../../shared/http/problem.ts";
import { API_KEY_SCOPES } from "../../auth/scopes.ts";
import type { Database } from "../../db/client.ts";
import { apiKeys, orgs, signingKeys, statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { createApiKey, newApiKeyRow } from "../api-keys/api-keys.ts";
import { newSigningKeyRow } from "../signing/signing-keys.ts";
import { newStatusListRow } from "../status-lists/allocate.ts";

/** Slugs: lowercase a-z, 0-9 and inner hyphens, 3-63 characters (a DNS label, safe in did:web). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

export interface CreatedOrg {
  id: string;
  slug: string;
  name: string;
  url: string | null;
  apiKey: string;
  statusListId: string;
}

/** True when the error (or its cause chain) is SQLite's UNIQUE violation on `column`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes("UNIQUE constraint failed") && message.includes(column)) return true;
  }
  return false;
}

/** Creates the org with everything it needs to issue; 409 SLUG_TAKEN when the slug exists. */
export async function createOrg(
  db: Database,
  env: Pick<OriginEnv, "KEY_ENCRYPTION_SECRET">,
  input: { name: string; slug: string; url?: string | null },
): Promise<CreatedOrg> {
  const [taken] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, input.slug)).limit(1);
  if (taken) throw slugTaken(input.slug);
  const orgId = crypto.randomUUID();
  const keyRow = await newSigningKeyRow(env, orgId);
  const list = newStatusListRow(orgId);
  const apiKey = await newApiKeyRow(orgId, "initial key", API_KEY_SCOPES);
  try {
    await db.batch([
      db.insert(orgs).values({ id: orgId, slug: input.slug, name: input.name, url: input.url ?? null, createdAt: new Date() }),
      db.insert(signingKeys).values(keyRow),
      db.insert(statusLists).values(list),
      db.insert(apiKeys).values(apiKey.row),
    ]);
  } catch (error) {
    // Two creations of one slug raced past the check: the UNIQUE index decides.
    if (isUniqueViolation(error, "orgs.slug")) throw slugTaken(input.slug);
    throw error;
  }
  return { id: orgId, slug: input.slug, name: input.name, url: input.url ?? null, apiKey: apiKey.key, statusListId: list.id! };
}

/**
 * Issues an additional API key, with every scope, for an existing org (operators; e.g. when the
 * first was lost). The org's key limit holds here too (409 TOO_MANY_API_KEYS).
 */
export async function addApiKey(db: Database, slug: string): Promise<{ orgId: string; id: string; apiKey: string } | null> {
  const [org] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug)).limit(1);
  if (!org) return null;
  const created = await createApiKey(db, org.id, { name: "added by operator", scopes: API_KEY_SCOPES });
  return { orgId: org.id, id: created.id, apiKey: created.apiKey };
}

function slugTaken(slug: string): AppError {
  return new AppError(409, "SLUG_TAKEN", `An org with slug "${slug}" already exists.`);
}
