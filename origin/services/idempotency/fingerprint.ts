// Idempotency-Key header parsing and request fingerprints (IETF httpapi-idempotency-key-header).

/** Longest key accepted; the draft recommends UUIDs (36 characters). */
export const IDEMPOTENCY_KEY_MAX = 255;

/**
 * The key from an `Idempotency-Key` header. The draft defines the value as a Structured Field
 * string (`"…"`, RFC 8941 §3.3.3); bare tokens (as Stripe clients send) are accepted too.
 * Returns null when absent, "invalid" when present but unusable.
 */
export function parseIdempotencyKey(header: string | undefined): string | null | "invalid" {
  if (header === undefined) return null;
  let value = header.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (value.length === 0 || value.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(value)) return "invalid";
  return value;
}

/**
 * SHA-256 over everything that makes two requests "the same": method, path, query string, media
 * type and the exact body bytes. Byte equality, not JSON equivalence: a retry resends the same bytes.
 */
export async function requestFingerprint(request: Request, body: ArrayBuffer): Promise<string> {
  const url = new URL(request.url);
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const head = new TextEncoder().encode(`${request.method}\n${url.pathname}\n${url.search}\n${mediaType}\n`);
  const all = new Uint8Array(head.byteLength + body.byteLength);
  all.set(head, 0);
  all.set(new Uint8Array(body), head.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
