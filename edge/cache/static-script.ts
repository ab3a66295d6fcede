// Answers for static text the Worker carries (bundled scripts, the /verify page): a strong ETag of
// the content, memoised per isolate, and 304 when the client holds it.
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { matchesIfNoneMatch } from "./http.ts";

// Settled ETags only, never a shared promise (shared/cache/ttl-lru.ts).
// Keyed by texts the Worker carries, so few; the bound is a guard.
const memoEtags = new TtlLru<string>(64, Infinity);

/** A strong ETag of static text (bundles, the /verify page), memoised per isolate. */
export async function contentEtag(text: string): Promise<string> {
  const hit = memoEtags.get(text);
  if (hit) return hit;
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const etag = `"${[...new Uint8Array(d).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  memoEtags.set(text, etag);
  return etag;
}

/** A JavaScript file with `cacheControl`, revalidated by its content ETag. */
export async function scriptResponse(request: Request, source: string, cacheControl: string): Promise<Response> {
  const etag = await contentEtag(source);
  const headers = new Headers({
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": cacheControl,
    "x-content-type-options": "nosniff",
    etag,
  });
  if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(source, { headers });
}
