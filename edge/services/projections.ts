// The tiered read path for the origin's projections (Dub/Unkey style): isolate memory → KV with
// cacheTtl → the origin's EdgeApi only on a miss, with misses remembered for a minute.
// Published data never needs the origin: once KV has it, an origin outage changes nothing.
import { kvKeys, type CredentialProjection, type IssuerProjection } from "../../shared/kv-keys.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import { SingleFlight, TtlLru } from "../cache/lru.ts";
import { isKnownMissing, rememberMissing } from "../cache/negative.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";
import { readKvJson } from "./kv.ts";
import { callOrigin } from "./origin.ts";

/** KV edge-cache time for projections (seconds); KV's minimum is 30. */
export const KV_CACHE_TTL_SECONDS = 60;
/** In-isolate lifetime of a projection. Revocation does not depend on it (status lists do). */
const MEMORY_TTL_MS = 60_000;

const credentials = new TtlLru<CredentialProjection>(10_000, MEMORY_TTL_MS);
const issuers = new TtlLru<IssuerProjection>(1_000, MEMORY_TTL_MS);
const credentialLoads = new SingleFlight<CredentialProjection | null>();
const issuerLoads = new SingleFlight<IssuerProjection | null>();

interface Tier<T> {
  family: string;
  memory: TtlLru<T>;
  loads: SingleFlight<T | null>;
  kvKey: string;
  fromOrigin: () => Promise<T | null>;
}

async function readThrough<T>(key: string, exec: ExecutionContext, env: EdgeEnv, tier: Tier<T>, log?: Logger): Promise<T | null> {
  const hot = tier.memory.get(key);
  if (hot) return hot;
  return tier.loads.run(key, async () => {
    const stored = await readKvJson<T>(env, tier.kvKey, KV_CACHE_TTL_SECONDS);
    if (stored) {
      tier.memory.set(key, stored);
      return stored;
    }
    if (await isKnownMissing(tier.family, key)) return null;
    edgeMetrics.increment(`laurel_edge_${tier.family}_kv_miss_total`);
    let found: T | null;
    try {
      found = await tier.fromOrigin();
    } catch (error) {
      // Origin down and nothing published: answer "not found" now, ask again next time.
      log?.warn("origin lookup failed", { family: tier.family, key, error });
      return null;
    }
    if (found) tier.memory.set(key, found);
    else rememberMissing(tier.family, key, exec);
    return found;
  });
}

/** The credential's projection, or null when the origin does not know `id` (a validated UUID). */
export function getCredentialProjection(
  env: EdgeEnv,
  exec: ExecutionContext,
  id: string,
  log?: Logger,
): Promise<CredentialProjection | null> {
  return readThrough(id, exec, env, {
    family: "credential",
    memory: credentials,
    loads: credentialLoads,
    kvKey: kvKeys.credential(id),
    fromOrigin: () => callOrigin(env, "credentialProjection", id),
  }, log);
}

/** The issuer's projection (DID document, JWKS), or null when unknown. */
export function getIssuerProjection(env: EdgeEnv, exec: ExecutionContext, slug: string, log?: Logger): Promise<IssuerProjection | null> {
  return readThrough(slug, exec, env, {
    family: "issuer",
    memory: issuers,
    loads: issuerLoads,
    kvKey: kvKeys.issuer(slug),
    fromOrigin: () => callOrigin(env, "issuerProjection", slug),
  }, log);
}

/** Drops an issuer from isolate memory, e.g. when a credential names a key it does not list yet. */
export function forgetIssuer(slug: string): void {
  issuers.delete(slug);
}

/** Empties the in-isolate projection tiers (tests). */
export function clearProjectionMemory(): void {
  credentials.clear();
  issuers.clear();
}
