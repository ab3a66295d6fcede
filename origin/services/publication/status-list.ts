// status-list.publish: re-sign the list from the database (a bit per revoked credential), as a
// VC-JWT and as JSON-LD with a Data Integrity proof (the edge serves either by Accept), write it
// to KV and push it to the edge's StatusListAuthority. The list's database `version` (bumped with
// every revocation, in the same transaction, and by the cron's re-signing) orders the writes: KV
// and the Durable Object both refuse an older version, so a late, out-of-order job can never roll
// a revocation back. Every signature is valid from its signing time for STATUS_LIST_VALIDITY_DAYS;
// the list's `valid_until` row records the published one, for the cron (status-lists/refresh.ts).
// The authority is pushed before KV is written: a revocation must reach it within seconds, and KV
// refuses more than one write per second to a key (docs/capacity.md), which a bulk revocation of
// one list reaches; so a KV refusal can delay the fallback, never the authority.
import { and, eq } from "drizzle-orm";
import { kvKeys, type StatusListProjection } from "../../../shared/kv-keys.ts";
import { signDataIntegrity } from "../../../shared/data-integrity/index.ts";
import { createLogger } from "../../../shared/observability/logger.ts";
import { buildStatusListCredential, type StatusListInput } from "../../../shared/status-list/credential.ts";
import { createBitstring, setBit, signStatusList } from "../../../shared/status-list/index.ts";
import type { Database } from "../../db/client.ts";
import { credentials, orgs, statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { activeDataIntegrityKey } from "../signing/data-integrity-keys.ts";
import { activeKeyQuery, unlockSigningKey } from "../signing/signing-keys.ts";
import { verificationMethodOf } from "./data-integrity.ts";
import { publishIssuer } from "./issuer.ts";
import { statusListValidity, validityWindow } from "../status-lists/validity.ts";
import { newerInKv } from "./kv-version.ts";
import { didForSlug, statusListUrl } from "./public-url.ts";
import { recordStatusListPublished } from "./published-versions.ts";

type Env = Pick<OriginEnv, "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET" | "STATUS_LIST_VALIDITY_DAYS">;

type StatusListWindow = ReturnType<typeof validityWindow>;

/** Signs the list's current state, valid for `window`; null when the list does not exist. */
async function buildStatusListProjection(db: Database, env: Env & Pick<OriginEnv, "PROJECTIONS">, listId: string, window: StatusListWindow): Promise<StatusListProjection | null> {
  const [list] = await db
    .select({ id: statusLists.id, orgId: statusLists.orgId, size: statusLists.size, version: statusLists.version, slug: orgs.slug, name: orgs.name })
    .from(statusLists)
    .innerJoin(orgs, eq(orgs.id, statusLists.orgId))
    .where(eq(statusLists.id, listId))
    .limit(1);
  if (!list) return null;
  const [revoked, [keyRow]] = await Promise.all([
    db
      .select({ index: credentials.statusIndex, reason: credentials.revocationReason })
      .from(credentials)
      .where(and(eq(credentials.statusListId, listId), eq(credentials.status, "revoked"))),
    activeKeyQuery(db, list.orgId),
  ]);
  if (!keyRow) throw new Error(`org ${list.orgId} has no active signing key`);
  const bits = createBitstring(list.size);
  const reasons: Record<string, string> = {};
  for (const r of revoked) {
    setBit(bits, r.index);
    if (r.reason) reasons[String(r.index)] = r.reason;
  }
  const issuerDid = didForSlug(env, list.slug);
  const input = { listUrl: statusListUrl(env, listId), issuer: { id: issuerDid, name: list.name }, bits, ...window };
  const jwt = await signStatusList(input, await unlockSigningKey(env, keyRow));
  const projection: StatusListProjection = { id: listId, orgSlug: list.slug, issuerDid, jwt, reasons, version: list.version, updatedAt: new Date().toISOString() };
  const secured = await dataIntegrityStatusList(db, env, list.orgId, list.slug, input);
  if (secured) projection.dataIntegrity = JSON.stringify(secured);
  return projection;
}

/**
 * The same list as JSON-LD with a Data Integrity proof by the org's active Ed25519 key, or null
 * when that fails: the revocation must not wait on it, and the edge then serves the VC-JWT to every
 * client (logged; the next publication of the list tries again).
 */
async function dataIntegrityStatusList(
  db: Database,
  env: Env & Pick<OriginEnv, "PROJECTIONS">,
  orgId: string,
  slug: string,
  input: StatusListInput,
): Promise<object | null> {
  try {
    const active = await activeDataIntegrityKey(db, env, orgId);
    if (!active) return null;
    if (active.created) await publishIssuer(db, env, orgId); // its did.json lists the key first
    const unsecured = await buildStatusListCredential(input);
    return await signDataIntegrity(unsecured, {
      privateJwk: active.key.privateJwk,
      verificationMethod: verificationMethodOf(env, slug, active.key.multibase),
    });
  } catch (error) {
    createLogger({ service: "origin", operation: "status-list.data-integrity" }).error("status list Data Integrity proof failed; the VC-JWT is published alone", { orgId, error });
    return null;
  }
}

/**
 * Where a publication went: KV and the Durable Object each either stored it or held a newer one;
 * "current": nothing was signed or written, the edge already held the list's current version.
 */
export interface StatusListPublication {
  version: number;
  kv: "published" | "stale" | "current";
  authority: "published" | "stale" | "current";
}

/** Pushes the projection to the list's DO, then writes `status:<listId>` (unless KV holds a newer version). */
export async function pushStatusList(
  env: Pick<OriginEnv, "PROJECTIONS" | "STATUS_LISTS">,
  projection: StatusListProjection,
): Promise<StatusListPublication> {
  const authority = statusListAuthority(env, projection.id);
  const pushed = await authority.publish(projection);
  const key = kvKeys.statusList(projection.id);
  const kvStale = await newerInKv(env, key, projection.version);
  if (!kvStale) await env.PROJECTIONS.put(key, JSON.stringify(projection));
  return { version: projection.version, kv: kvStale ? "stale" : "published", authority: pushed.stored ? "published" : "stale" };
}

/** The edge's StatusListAuthority for a list (one Durable Object per list id). */
export function statusListAuthority(env: Pick<OriginEnv, "STATUS_LISTS">, listId: string) {
  return env.STATUS_LISTS.get(env.STATUS_LISTS.idFromName(listId)) as unknown as StatusListAuthorityStub;
}

/** The RPC methods of edge/objects/status-list-authority.do.ts the origin calls. */
export interface StatusListAuthorityStub {
  publish(projection: StatusListProjection): Promise<{ stored: boolean; version: number }>;
  current(): Promise<StatusListProjection | null>;
}

/**
 * Signs the list's current state, pushes it (KV + authority) and records the published validUntil
 * on the list's row once KV or the authority took it (when both held a newer version, that newer
 * publication records its own), then the published version, so the reconciler knows the edge
 * holds it. Null when the list does not exist.
 */
export async function signAndPublishStatusList(
  db: Database,
  env: Pick<OriginEnv, "PROJECTIONS" | "STATUS_LISTS"> & Env,
  listId: string,
): Promise<{ projection: StatusListProjection; publication: StatusListPublication } | null> {
  const window = validityWindow(statusListValidity(env));
  const projection = await buildStatusListProjection(db, env, listId, window);
  if (!projection) return null;
  const publication = await pushStatusList(env, projection);
  if (publication.kv === "published" || publication.authority === "published") {
    await db.update(statusLists).set({ validUntil: window.validUntil }).where(eq(statusLists.id, listId));
  }
  await recordStatusListPublished(db, listId, projection.version);
  return { projection, publication };
}

/**
 * status-list.publish for a list; "missing" when the list does not exist. Does nothing when the
 * edge already holds the list's current version: every publication signs the list's current
 * state, so after a bulk revocation (one job per revoked credential) the first job publishes them
 * all and the rest find nothing to do, instead of one full re-sign, one read of every revoked row
 * and one KV write of the same key each. Every change that needs a new signature (revocation,
 * key revocation, the cron's re-signing) bumps `version` first, so this never skips one.
 */
export async function publishStatusList(
  db: Database,
  env: Pick<OriginEnv, "PROJECTIONS" | "STATUS_LISTS"> & Env,
  listId: string,
): Promise<StatusListPublication | "missing"> {
  statusListValidity(env); // a broken setting fails every call alike, skipped or not
  const [list] = await db
    .select({ version: statusLists.version, publishedVersion: statusLists.publishedVersion })
    .from(statusLists)
    .where(eq(statusLists.id, listId));
  if (!list) return "missing";
  if (list.publishedVersion !== null && list.publishedVersion >= list.version) {
    return { version: list.publishedVersion, kv: "current", authority: "current" };
  }
  const published = await signAndPublishStatusList(db, env, listId);
  return published ? published.publication : "missing";
}
