// Status lists at the edge. The StatusListAuthority Durable Object is the authority for each list
// (the origin pushes every change to it). In front of it, per list, three tiers:
//   isolate memory → the location's Cache API (caches.default) → the location's StatusListRelay
//   object (edge/objects/status-list-relay.do.ts) → the authority.
// The relay asks the authority at most once per STATUS_MEMORY_TTL_MS per location, whatever the
// number of isolates there (docs/capacity.md: one list read by every isolate worldwide every 2 s
// is what breaks first at 10x). Every copy carries the time the authority was read, and every tier
// trusts it until that time + STATUS_MEMORY_TTL_MS only, so a revocation is still visible
// everywhere within ~2 s plus the push, however many tiers the copy passed through.
// Relay failure → the authority directly; authority failure → KV's `status:<listId>`; nothing
// anywhere → the status is `unknown`, never valid.
// A miss costs nothing twice: ids that are not UUIDs never reach a Durable Object stub, and a list
// the origin did not know is answered from the negative cache before the authority is asked.
import { kvKeys, type StatusListProjection } from "../../shared/kv-keys.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import { statusListIdOfUrl } from "../../shared/public-urls.ts";
import { checkStatusEntry, verifyStatusList, type VerifiedStatusList } from "../../shared/status-list/verify.ts";
import type { StatusAnswer, StatusResolver } from "../../shared/verify/types.ts";
import { LoadCoalescer } from "../cache/coalesce.ts";
import { readLocationCopy, writeLocationCopy } from "../cache/status-location.ts";
import type { RelayedStatusList } from "../objects/status-list-relay.do.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { isKnownMissing, rememberMissing } from "../cache/negative.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";
import { createIssuerKeyResolver, headerKid } from "./issuer-keys.ts";
import { callOrigin } from "./origin.ts";
import { isUuid, statusListIdFrom } from "../../shared/ids.ts";
import { readKvJson } from "./kv.ts";
import type { ReadOptions } from "./projections.ts";
import { takeOriginReadToken } from "./rate-limit.ts";

/** How long any edge copy of a list is trusted, counted from when the authority was read. */
export const STATUS_MEMORY_TTL_MS = 2_000;
const KV_STATUS_CACHE_TTL_SECONDS = 30;
const VERIFIED_TTL_MS = 10 * 60_000;

export type StatusSource = "authority" | "kv" | "origin";
export interface StatusListRead {
  projection: StatusListProjection;
  source: StatusSource;
  /** For source "authority": when (epoch ms) the authority was read; the copy is trusted until then + STATUS_MEMORY_TTL_MS. */
  readAt?: number;
}

// Settled values only (shared/cache/ttl-lru.ts); concurrent misses share a result, not a promise.
const recent = new TtlLru<StatusListRead>(1_000, STATUS_MEMORY_TTL_MS);
const loads = new LoadCoalescer<StatusListRead | null>();
// Lists this isolate found recently: their 2 s refreshes go straight to the authority, without the
// negative cache's Cache API read that guards the authority from invented ids.
const known = new TtlLru<true>(1_000, VERIFIED_TTL_MS);
// Verified lists by list id, reused while the signed JWT is unchanged (no re-inflate per request).
const verified = new TtlLru<{ jwt: string; list: VerifiedStatusList }>(1_000, VERIFIED_TTL_MS);

// The Cloudflare location (colo) this isolate runs in: an isolate never moves, so the first
// request's `cf.colo` names it. Locally and in tests there is none: one location, "local".
let isolateLocation = "local";

/** Records this isolate's location from a request's `cf.colo` (three capital letters, e.g. "FRA"). */
export function noteIsolateLocation(colo: unknown): void {
  if (typeof colo === "string" && /^[A-Z]{3}$/.test(colo)) isolateLocation = colo;
}

/** The relay's name for `listId` in `location`: one StatusListRelay per list per location. */
export function relayName(listId: string, location = isolateLocation): string {
  return `${location}/${listId}`;
}

/** The list from the location's relay, else straight from the authority; undefined when neither answers. */
async function fromAuthorityTier(env: EdgeEnv, listId: string, log?: Logger): Promise<RelayedStatusList | undefined> {
  edgeMetrics.increment("laurel_edge_status_authority_reads_total");
  try {
    return await env.STATUS_RELAYS.get(env.STATUS_RELAYS.idFromName(relayName(listId))).read(listId, STATUS_MEMORY_TTL_MS);
  } catch (error) {
    edgeMetrics.increment("laurel_edge_status_relay_errors_total");
    log?.warn("status list relay unavailable; asking the authority directly", { listId, error });
  }
  try {
    const readAt = Date.now();
    return { projection: await env.STATUS_LISTS.get(env.STATUS_LISTS.idFromName(listId)).current(), readAt };
  } catch (error) {
    edgeMetrics.increment("laurel_edge_status_authority_errors_total");
    log?.warn("status list authority unavailable; falling back to KV", { listId, error });
    return undefined;
  }
}

/** The authority's answer from this location's Cache API, else from the relay (then cached here). */
async function fromAuthority(env: EdgeEnv, exec: ExecutionContext, listId: string, log?: Logger): Promise<RelayedStatusList | undefined> {
  const cached = await readLocationCopy(listId, STATUS_MEMORY_TTL_MS);
  if (cached) {
    edgeMetrics.increment("laurel_edge_status_location_cache_hits_total");
    return cached;
  }
  const read = await fromAuthorityTier(env, listId, log);
  if (read?.projection) writeLocationCopy(listId, read, STATUS_MEMORY_TTL_MS, exec);
  return read;
}

async function load(env: EdgeEnv, exec: ExecutionContext, listId: string, opts: ReadOptions): Promise<StatusListRead | null> {
  const { log } = opts;
  if (!known.get(listId) && (await isKnownMissing("status", listId))) return null;
  const authoritative = await fromAuthority(env, exec, listId, log);
  if (authoritative?.projection) return { projection: authoritative.projection, source: "authority", readAt: authoritative.readAt };
  const stored = await readKvJson<StatusListProjection>(env, kvKeys.statusList(listId), KV_STATUS_CACHE_TTL_SECONDS);
  if (stored) return { projection: stored, source: "kv" };
  takeOriginReadToken(env, opts.client);
  try {
    const fresh = await callOrigin(env, "statusListProjection", listId);
    if (!fresh) rememberMissing("status", listId, exec);
    return fresh ? { projection: fresh, source: "origin" } : null;
  } catch (error) {
    log?.warn("status list unavailable at the origin", { listId, error });
    return null;
  }
}

/**
 * The freshest status list projection this edge can get, or null when nobody has it or `listId`
 * is not a UUID (the origin makes every list id with crypto.randomUUID).
 */
export async function getStatusList(env: EdgeEnv, exec: ExecutionContext, listId: string, opts: ReadOptions = {}): Promise<StatusListRead | null> {
  if (!isUuid(listId)) return null;
  const hot = recent.get(listId);
  if (hot) return hot;
  return loads.run(listId, async () => {
    const read = await load(env, exec, listId, opts);
    if (read) {
      // An authority copy lives until its read time + the TTL (it may have aged in the location tiers).
      const ttlMs = read.readAt === undefined ? STATUS_MEMORY_TTL_MS : read.readAt + STATUS_MEMORY_TTL_MS - Date.now();
      if (ttlMs > 0) recent.set(listId, read, ttlMs);
      known.set(listId, true);
    }
    return read;
  });
}

/** The list id of a status list URL served by this deployment (`<base>/status/<id>`), else null. */
export function localStatusListId(statusListCredential: string, baseUrl: string): string | null {
  const listId = statusListIdOfUrl(statusListCredential, baseUrl);
  return listId === null ? null : statusListIdFrom(listId);
}

async function verifiedList(env: EdgeEnv, exec: ExecutionContext, baseUrl: string, read: StatusListRead, opts: ReadOptions): Promise<VerifiedStatusList> {
  const { id, jwt } = read.projection;
  const hit = verified.get(id);
  if (hit && hit.jwt === jwt) return hit.list;
  const resolveIssuerKeys = createIssuerKeyResolver(env, exec, baseUrl, headerKid(jwt), opts);
  const list = await verifyStatusList(jwt, { resolveIssuerKeys });
  verified.set(id, { jwt, list });
  return list;
}

/** What a status lookup saw, for ETags and logs. */
export interface StatusObservation {
  listId?: string;
  version?: number;
  source?: StatusSource;
}

/**
 * A StatusResolver answering from this deployment's lists only, with the issuer's revocation
 * reason from the list projection (or `fallbackReason`, e.g. the credential projection's).
 */
export function createEdgeStatusResolver(
  env: EdgeEnv,
  exec: ExecutionContext,
  baseUrl: string,
  seen: StatusObservation,
  opts: { fallbackReason?: string } & ReadOptions = {},
): StatusResolver {
  return async (entry, { issuerId }): Promise<StatusAnswer | null> => {
    const listId = localStatusListId(entry.statusListCredential, baseUrl);
    if (!listId) throw new Error(`status list ${entry.statusListCredential} is not hosted by ${baseUrl}; this verifier fetches no remote lists`);
    const read = await getStatusList(env, exec, listId, opts);
    if (!read) return null;
    Object.assign(seen, { listId, version: read.projection.version, source: read.source });
    const list = await verifiedList(env, exec, baseUrl, read, opts);
    // Also refuses a list that expired while it sat in the verified cache.
    const { bitSet, asOf } = checkStatusEntry(entry, list, issuerId);
    if (!bitSet) return { bitSet, asOf };
    const reason = read.projection.reasons?.[entry.statusListIndex] ?? opts.fallbackReason;
    return reason ? { bitSet, reason, asOf } : { bitSet, asOf };
  };
}

/** Empties the in-isolate status tiers (tests). */
export function clearStatusMemory(): void {
  recent.clear();
  verified.clear();
  known.clear();
}
