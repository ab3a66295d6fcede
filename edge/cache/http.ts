// HTTP caching for edge answers: validators (ETag/If-None-Match, RFC 9110 §13.1.2) and the
// Cache-Control policy of each kind of answer.

/** Cache-Control per kind of answer. */
export const CACHE_POLICY = {
  /** Status may change any second (revocation within 5 s): always revalidate, 304 is cheap. */
  live: "public, no-cache",
  /** The signed JWT of an id never changes; its projection version is in the ETag anyway. */
  credentialDocument: "public, max-age=300, stale-while-revalidate=3600",
  /** Issuer keys change on rotation only. */
  issuerDocument: "public, max-age=300",
  /** Images addressed with `?v=<projection version>` never change. */
  immutable: "public, max-age=31536000, immutable",
  /** Images without a version in the URL: cached, revalidated by ETag. */
  image: "public, max-age=3600",
  /** Stand-ins served until the real asset exists. */
  provisional: "public, max-age=30",
} as const;

/** True when the request's If-None-Match lists `etag` (weak comparison, RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}

/** 304 when the client holds `etag`, else `build()` with ETag and Cache-Control set. */
export async function conditional(
  request: Request,
  etag: string,
  cacheControl: string,
  build: () => Response | Promise<Response>,
): Promise<Response> {
  const headers = { etag, "cache-control": cacheControl };
  if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
  const response = await build();
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** JSON with a content type (application/json unless given). */
export function jsonResponse(body: unknown, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), { headers: { "content-type": contentType } });
}
