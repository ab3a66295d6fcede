// Security headers of every HTML answer. Inline CSS is allowed by its hash, scripts only from
// this origin: no inline script, no third-party request of any kind.
import { staticTextDigest } from "../cache/text-digest.ts";

function cspHashSource(digest: Uint8Array): string {
  let bin = "";
  for (const byte of digest) bin += String.fromCharCode(byte);
  return `'sha256-${btoa(bin)}'`;
}

/** `'sha256-…'` CSP source for an inline <style> body (CSP3 §8.4 hash-source), memoised per isolate. */
export function styleHashSource(css: string): Promise<string> {
  return staticTextDigest(css, cspHashSource);
}

/** Options of `htmlHeaders`: `frameable` for the embed widget, which any site may frame. */
export interface HtmlHeaderOptions {
  css: string;
  frameable?: boolean;
  cacheControl: string;
  etag?: string;
}

/** Content-Type, CSP, nosniff, Referrer-Policy, framing policy and caching for an HTML answer. */
export async function htmlHeaders(opts: HtmlHeaderOptions): Promise<Headers> {
  const csp = [
    "default-src 'self'",
    "img-src 'self' data:",
    `style-src ${await styleHashSource(opts.css)}`,
    "script-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${opts.frameable ? "*" : "'none'"}`,
  ].join("; ");
  const headers = new Headers({
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cache-control": opts.cacheControl,
    vary: "accept-encoding",
  });
  if (!opts.frameable) headers.set("x-frame-options", "DENY");
  if (opts.etag) headers.set("etag", opts.etag);
  return headers;
}
