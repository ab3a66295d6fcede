// Answers for static text the Worker carries (bundled scripts, the /verify page): a strong ETag of
// the content, memoised per isolate, and 304 when the client holds it.
import { matchesIfNoneMatch } from "./http.ts";
import { staticTextDigest } from "./text-digest.ts";

function etagOfDigest(digest: Uint8Array): string {
  return `"${[...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** A strong ETag of static text (bundles, the /verify page), memoised per isolate. */
export function contentEtag(text: string): Promise<string> {
  return staticTextDigest(text, etagOfDigest);
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
