// Negative cache for ids the origin does not know: in isolate memory and in the colo's Cache API,
// so an unknown id reaches the origin at most once per id per minute, even across isolates.
import { TtlLru } from "../../shared/cache/ttl-lru.ts";

/** How long "the origin does not know this" is believed. */
export const NEGATIVE_TTL_SECONDS = 60;

const memory = new TtlLru<true>(20_000, NEGATIVE_TTL_SECONDS * 1000);
// Cache API keys are URLs; this host is never fetched, it only names entries.
const CACHE_ORIGIN = "https://negative.laurel.internal";

function cacheUrl(family: string, key: string): string {
  return `${CACHE_ORIGIN}/${family}/${encodeURIComponent(key)}`;
}

function defaultCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : (caches as unknown as { default?: Cache }).default;
}

/** True when `family/key` was recently found unknown at the origin. */
export async function isKnownMissing(family: string, key: string): Promise<boolean> {
  const name = `${family}/${key}`;
  if (memory.get(name)) return true;
  const cache = defaultCache();
  if (!cache) return false;
  try {
    const hit = await cache.match(cacheUrl(family, key));
    if (!hit) return false;
    memory.set(name, true);
    return true;
  } catch {
    return false;
  }
}

/** Remembers that the origin does not know `family/key`; the Cache API write runs in waitUntil. */
export function rememberMissing(family: string, key: string, exec: ExecutionContext): void {
  memory.set(`${family}/${key}`, true);
  const cache = defaultCache();
  if (!cache) return;
  const body = new Response("missing", { headers: { "cache-control": `public, max-age=${NEGATIVE_TTL_SECONDS}` } });
  exec.waitUntil(cache.put(cacheUrl(family, key), body).catch(() => {}));
}

/** Forgets every negative entry of this isolate (tests). */
export function clearNegativeMemory(): void {
  memory.clear();
}
