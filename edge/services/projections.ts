// The tiered read path for the origin's projections (Dub/Unkey style): isolate memory → KV with
// cacheTtl → the origin's EdgeApi only on a miss, with misses remembered for a minute.
// Published data never needs the origin: once KV has it, an origin outage changes nothing.
// A batch-issued credential is read from its credential set (shared/credential-sets.ts) first.
// Memory holds settled values only (shared/cache/ttl-lru.ts); concurrent misses of one key are joined
// by edge/cache/coalesce.ts, which shares results, never promises.
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { kvKeys, type CredentialProjection, type CredentialSetProjection, type IssuerProjection } from "../../shared/kv-keys.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import { LoadCoalescer } from "../cache/coalesce.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { isKnownMissing, rememberMissing } from "../cache/negative.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";
import { readKvJson } from "./kv.ts";
import { callOrigin } from "./origin.ts";
import { takeOriginReadToken } from "./rate-limit.ts";

/** KV edge-cache time for projections (seconds); KV's minimum is 30. */
export const KV_CACHE_TTL_SECONDS = 60;
/** In-isolate lifetime of a projection. Revocation does not depend on it (status lists do). */
const MEMORY_TTL_MS = 60_000;

/** Who is reading (for the origin read-through rate limit) and where degraded paths log. */
export interface ReadOptions {
  log?: Logger;
  /** The client key (services/rate-limit.ts clientKey); undefined shares the "unidentified" bucket. */
  client?: string;
}

interface Tier<T> {
  family: string;
  memory: TtlLru<T>;
  loads: LoadCoalescer<T | null>;
  fromKv: (env: EdgeEnv, key: string) => Promise<T | null>;
  fromOrigin: (env: EdgeEnv, key: string) => Promise<T | null>;
}

// Parsed credential sets, by set id: a set holds up to 125 credentials (~370 KB of
// JSON), so few are kept; their members are copied into the credential tier as they are read.
const sets = new TtlLru<Map<string, CredentialProjection>>(16, MEMORY_TTL_MS);

async function readSet(env: EdgeEnv, setId: string): Promise<Map<string, CredentialProjection> | null> {
  const hot = sets.get(setId);
  if (hot) return hot;
  const stored = await readKvJson<CredentialSetProjection>(env, kvKeys.credentialSet(setId), KV_CACHE_TTL_SECONDS);
  if (!stored) return null;
  const members = new Map(stored.credentials.map((c) => [c.id, c]));
  sets.set(setId, members);
  return members;
}

/** A credential from KV: its set's value for a set member, else (or when the set lacks it) its own. */
async function credentialFromKv(env: EdgeEnv, id: string): Promise<CredentialProjection | null> {
  const setId = credentialSetIdOf(id);
  const member = setId ? (await readSet(env, setId))?.get(id) : undefined;
  return member ?? readKvJson<CredentialProjection>(env, kvKeys.credential(id), KV_CACHE_TTL_SECONDS);
}

// Built once per isolate, not per request: the hot path only looks them up.
const credentials: Tier<CredentialProjection> = {
  family: "credential",
  memory: new TtlLru(10_000, MEMORY_TTL_MS),
  loads: new LoadCoalescer(),
  fromKv: credentialFromKv,
  fromOrigin: (env, id) => callOrigin(env, "credentialProjection", id),
};
const issuers: Tier<IssuerProjection> = {
  family: "issuer",
  memory: new TtlLru(1_000, MEMORY_TTL_MS),
  loads: new LoadCoalescer(),
  fromKv: (env, slug) => readKvJson<IssuerProjection>(env, kvKeys.issuer(slug), KV_CACHE_TTL_SECONDS),
  fromOrigin: (env, slug) => callOrigin(env, "issuerProjection", slug),
};

async function readThrough<T>(tier: Tier<T>, env: EdgeEnv, exec: ExecutionContext, key: string, opts: ReadOptions): Promise<T | null> {
  const hot = tier.memory.get(key);
  if (hot) return hot;
  return tier.loads.run(key, () => load(tier, env, exec, key, opts));
}

async function load<T>(tier: Tier<T>, env: EdgeEnv, exec: ExecutionContext, key: string, opts: ReadOptions): Promise<T | null> {
  const stored = await tier.fromKv(env, key);
  if (stored) {
    tier.memory.set(key, stored);
    return stored;
  }
  if (await isKnownMissing(tier.family, key)) return null;
  edgeMetrics.increment(`laurel_edge_${tier.family}_kv_miss_total`);
  takeOriginReadToken(env, opts.client); // 429 for a client inventing ids faster than the budget
  let found: T | null;
  try {
    found = await tier.fromOrigin(env, key);
  } catch (error) {
    // Origin down or slow and nothing published: answer "not found" now, remember nothing, ask
    // again next time.
    opts.log?.warn("origin lookup failed", { family: tier.family, key, error });
    return null;
  }
  if (found) tier.memory.set(key, found);
  else rememberMissing(tier.family, key, exec);
  return found;
}

/** The credential's projection, or null when the origin does not know `id` (a validated UUID). */
export function getCredentialProjection(env: EdgeEnv, exec: ExecutionContext, id: string, opts: ReadOptions = {}): Promise<CredentialProjection | null> {
  return readThrough(credentials, env, exec, id, opts);
}

/** The issuer's projection (DID document, JWKS), or null when unknown. */
export function getIssuerProjection(env: EdgeEnv, exec: ExecutionContext, slug: string, opts: ReadOptions = {}): Promise<IssuerProjection | null> {
  return readThrough(issuers, env, exec, slug, opts);
}

/** Empties the in-isolate projection tiers (tests). */
export function clearProjectionMemory(): void {
  credentials.memory.clear();
  issuers.memory.clear();
  sets.clear();
}
