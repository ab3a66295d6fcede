// Request bodies: media type, size limit (declared and actual) and JSON syntax, checked before
// anything else reads the body. The bytes read are put in Hono's body cache, so validators,
// the idempotency fingerprint and handlers all see exactly what was checked.
import type { Context, MiddlewareHandler } from "hono";
import { mediaTypeOf, readBodyCapped } from "../../shared/http/body.ts";
import { AppError } from "../../shared/http/problem.ts";
import type { OriginHono } from "../env.ts";

/** Default limit of JSON request bodies. */
export const JSON_BODY_LIMIT = 1024 * 1024;

const isJsonMediaType = (type: string) => type === "application/json" || /^application\/[\w.-]+\+json$/.test(type);

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The bytes as UTF-8 text, without a leading BOM; throws a TypeError when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  return strictUtf8.decode(bytes);
}

/** Puts already-read bytes where Hono's `c.req.text()/json()/arrayBuffer()` look first. */
export function cacheBody(c: Context<OriginHono>, bytes: Uint8Array<ArrayBuffer>, text: string): void {
  // Hono types the cache entries as values, but stores and awaits promises.
  const cache = c.req.bodyCache as Record<string, unknown>;
  cache.text = Promise.resolve(text);
  cache.arrayBuffer = Promise.resolve(bytes.buffer);
}

/**
 * For JSON routes: 415 UNSUPPORTED_MEDIA_TYPE unless the body is `application/json` (or `+json`),
 * 413 PAYLOAD_TOO_LARGE beyond `maxBytes` (default 1 MiB), 400 MALFORMED_JSON when it does not parse.
 */
export function jsonBody(opts: { maxBytes?: number } = {}): MiddlewareHandler<OriginHono> {
  const maxBytes = opts.maxBytes ?? JSON_BODY_LIMIT;
  return async (c, next) => {
    const type = mediaTypeOf(c.req.header("content-type"));
    if (!isJsonMediaType(type)) {
      throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the body as application/json (got ${type || "no content type"}).`);
    }
    const bytes = await readBodyCapped(c.req.raw, maxBytes);
    let text: string;
    try {
      text = decodeUtf8(bytes);
      JSON.parse(text);
    } catch {
      throw new AppError(400, "MALFORMED_JSON", "The request body is not valid JSON.");
    }
    cacheBody(c, bytes, text);
    await next();
  };
}
