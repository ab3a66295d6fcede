// The location tier of status lists: the colo's Cache API (caches.default), shared by every
// isolate of one Cloudflare location and by none elsewhere. It spares the location's relay object
// (edge/objects/status-list-relay.do.ts) one call per isolate per list per refresh; the relay,
// not this cache, is what bounds the authority's reads (two isolates may miss here at once, and
// the Cache API does nothing on workers.dev hosts). Each entry carries the authority's read time and
// is trusted until that time + the caller's freshness only, whatever the Cache API keeps.
import type { StatusListProjection } from "../../shared/kv-keys.ts";
import type { RelayedStatusList } from "../objects/status-list-relay.do.ts";

// Cache API keys are URLs; this host is never fetched, it only names entries.
const CACHE_ORIGIN = "https://status-lists.laurel.internal";

function cacheUrl(listId: string): string {
  return `${CACHE_ORIGIN}/${encodeURIComponent(listId)}`;
}

function defaultCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : (caches as unknown as { default?: Cache }).default;
}

function isProjection(value: unknown): value is StatusListProjection {
  const p = value as StatusListProjection | null;
  return typeof p === "object" && p !== null && typeof p.id === "string" && typeof p.jwt === "string" && typeof p.version === "number";
}

/** This location's copy of `listId` while younger than `freshMs` (from the authority's read), else undefined. */
export async function readLocationCopy(listId: string, freshMs: number): Promise<RelayedStatusList | undefined> {
  const cache = defaultCache();
  if (!cache) return undefined;
  try {
    const hit = await cache.match(cacheUrl(listId));
    if (!hit) return undefined;
    const copy = (await hit.json()) as Partial<RelayedStatusList>;
    if (typeof copy.readAt !== "number" || Date.now() - copy.readAt >= freshMs) return undefined;
    if (!isProjection(copy.projection) || copy.projection.id !== listId) return undefined;
    return { projection: copy.projection, readAt: copy.readAt };
  } catch {
    return undefined; // a broken or unreadable entry is a miss, never an answer
  }
}

/** Stores `copy` for this location's other isolates (in waitUntil; a failed write only costs a relay call). */
export function writeLocationCopy(listId: string, copy: RelayedStatusList, freshMs: number, exec: ExecutionContext): void {
  const cache = defaultCache();
  const remainingMs = copy.readAt + freshMs - Date.now();
  if (!cache || remainingMs <= 0) return;
  // max-age is whole seconds; the read time inside the entry is what bounds its use.
  const maxAge = Math.max(1, Math.ceil(remainingMs / 1000));
  const body = new Response(JSON.stringify(copy), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${maxAge}` },
  });
  exec.waitUntil(cache.put(cacheUrl(listId), body).catch(() => {}));
}

/** Forgets this location's copy of `listId` (tests). */
export async function dropLocationCopy(listId: string): Promise<void> {
  await defaultCache()?.delete(cacheUrl(listId));
}
