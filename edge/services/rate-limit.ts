// Per-client rate limiting of POST /api/v1/verify (the only edge call doing work for arbitrary
// input). Layer 1: an in-isolate token bucket per client IP (cf-connecting-ip), free and exact for
// bursts. Layer 2, when bound: the Workers Rate Limiting binding, shared by the isolates of a colo.
import { AppError } from "../../shared/http/problem.ts";
import { TtlLru } from "../cache/lru.ts";
import type { EdgeEnv } from "../env.ts";

/** Bucket size and refill; VERIFY_RATE_LIMIT = "<burst>/<seconds>" overrides (e.g. "60/60"). */
export const DEFAULT_VERIFY_RATE_LIMIT = "60/60";

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const buckets = new TtlLru<Bucket>(50_000, 10 * 60_000);

function parseLimit(raw: string | undefined): { burst: number; perMs: number } {
  const [burst, seconds] = (raw || DEFAULT_VERIFY_RATE_LIMIT).split("/").map(Number);
  if (!burst || !seconds || burst < 1 || seconds <= 0) return parseLimit(DEFAULT_VERIFY_RATE_LIMIT);
  return { burst, perMs: burst / (seconds * 1000) };
}

/** The client key: Cloudflare's cf-connecting-ip, else one shared bucket for unidentified callers. */
export function clientKey(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unidentified";
}

/** Takes one token for `client` or throws a 429 AppError with Retry-After (seconds). */
export async function takeVerifyToken(env: EdgeEnv, client: string, now = Date.now()): Promise<void> {
  const { burst, perMs } = parseLimit(env.VERIFY_RATE_LIMIT);
  const bucket = buckets.get(client, now) ?? { tokens: burst, updatedAt: now };
  bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
  bucket.updatedAt = now;
  if (bucket.tokens < 1) {
    buckets.set(client, bucket, undefined, now);
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    throw new AppError(429, "RATE_LIMITED", `Too many verification requests; retry in ${retryAfter} s.`, {
      headers: { "retry-after": String(retryAfter) },
    });
  }
  bucket.tokens -= 1;
  buckets.set(client, bucket, undefined, now);
  if (env.VERIFY_RATE_LIMITER) {
    const { success } = await env.VERIFY_RATE_LIMITER.limit({ key: client });
    if (!success) {
      throw new AppError(429, "RATE_LIMITED", "Too many verification requests; retry in 60 s.", { headers: { "retry-after": "60" } });
    }
  }
}

/** Forgets every bucket (tests). */
export function clearRateLimits(): void {
  buckets.clear();
}
