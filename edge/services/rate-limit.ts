// Per-client rate limits of the edge's calls that do work for arbitrary input: POST
// /api/v1/verify, and the origin read-through that a request for an id nobody published yet
// causes (an unknown id is otherwise free for a client to invent). Layer 1: an in-isolate token
// bucket per client, free and exact for bursts. Layer 2 (verify only), when bound: the Workers
// Rate Limiting binding, shared by the isolates of a colo.
import { AppError } from "../../shared/http/problem.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { edgeSetting, type EdgeEnv, type RateLimitSetting } from "../env.ts";

// Bucket size and refill: VERIFY_RATE_LIMIT and ORIGIN_READ_RATE_LIMIT, parsed by edge/env.ts.
export { DEFAULT_ORIGIN_READ_RATE_LIMIT, DEFAULT_VERIFY_RATE_LIMIT } from "../env.ts";

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const buckets = {
  verify: new TtlLru<Bucket>(50_000, 10 * 60_000),
  originRead: new TtlLru<Bucket>(50_000, 10 * 60_000),
};

/**
 * The client an address belongs to: an IPv4 address as is, an IPv6 address by its /64 prefix (one
 * subscriber usually holds a whole /64, so per-address buckets would be free to multiply).
 * Hand-written: this needs only the expansion of `::`, not a general address library.
 */
export function clientOfAddress(address: string): string {
  const ip = address.trim().toLowerCase();
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail] = ip.split("::", 2);
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  const prefix = groups.slice(0, 4).map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? g.replace(/^0+(?=.)/, "") : "?"));
  while (prefix.length < 4) prefix.push("0");
  return `${prefix.join(":")}::/64`;
}

/** The client key: Cloudflare's cf-connecting-ip (IPv6 by /64), else one shared bucket for unidentified callers. */
export function clientKey(request: Request): string {
  const ip = request.headers.get("cf-connecting-ip");
  return ip ? clientOfAddress(ip) : "unidentified";
}

/** Takes a token from `client`'s bucket; the seconds to wait when there was none, else 0. */
function take(bucketsOf: TtlLru<Bucket>, limit: RateLimitSetting, client: string, now: number): number {
  const { burst, perMs } = limit;
  const bucket = bucketsOf.get(client, now) ?? { tokens: burst, updatedAt: now };
  bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
  bucket.updatedAt = now;
  const short = bucket.tokens < 1;
  if (!short) bucket.tokens -= 1;
  bucketsOf.set(client, bucket, undefined, now);
  return short ? Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) : 0;
}

function rateLimited(what: string, retryAfter: number): AppError {
  return new AppError(429, "RATE_LIMITED", `Too many ${what}; retry in ${retryAfter} s.`, {
    headers: { "retry-after": String(retryAfter) },
  });
}

/** Takes one token for `client` or throws a 429 AppError with Retry-After (seconds). */
export async function takeVerifyToken(env: EdgeEnv, client: string, now = Date.now()): Promise<void> {
  const wait = take(buckets.verify, edgeSetting(env, "VERIFY_RATE_LIMIT"), client, now);
  if (wait > 0) throw rateLimited("verification requests", wait);
  if (env.VERIFY_RATE_LIMITER) {
    const { success } = await env.VERIFY_RATE_LIMITER.limit({ key: client });
    if (!success) throw rateLimited("verification requests", 60);
  }
}

/**
 * Takes one origin read-through token for `client` (undefined: the shared "unidentified" bucket)
 * or throws a 429 AppError with Retry-After. Called only when memory, KV and the negative cache
 * all missed, right before the edge would ask the origin.
 */
export function takeOriginReadToken(env: EdgeEnv, client: string | undefined, now = Date.now()): void {
  const limit = edgeSetting(env, "ORIGIN_READ_RATE_LIMIT");
  const wait = take(buckets.originRead, limit, client ?? "unidentified", now);
  if (wait > 0) throw rateLimited("lookups of unpublished ids", wait);
}

/** Forgets every bucket (tests). */
export function clearRateLimits(): void {
  buckets.verify.clear();
  buckets.originRead.clear();
}
