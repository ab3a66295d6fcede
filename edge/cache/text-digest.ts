// SHA-256 of text the Worker carries (bundled scripts, the /verify page, inline CSS), memoised per
// isolate: static answers' ETags and the CSP hashes of inline styles are both taken from it.
import { TtlLru } from "../../shared/cache/ttl-lru.ts";

// Settled digests only, never a shared promise (shared/cache/ttl-lru.ts). Keyed by texts the
// Worker carries, so few; the bound is a guard.
const digests = new TtlLru<Uint8Array>(64, Infinity);

/** The SHA-256 digest (FIPS 180-4) of `text` as UTF-8, computed once per isolate. */
export async function staticTextSha256(text: string): Promise<Uint8Array> {
  const hit = digests.get(text);
  if (hit) return hit;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  digests.set(text, digest);
  return digest;
}
