// SHA-256 of text the Worker carries (bundled scripts, the /verify page, inline CSS), memoised per
// isolate in its finished form: static answers' ETags and the CSP hashes of inline styles are both
// taken from it, so a request pays neither the digest nor its formatting again.
import { TtlLru } from "../../shared/cache/ttl-lru.ts";

// Settled strings only, never a shared promise (shared/cache/ttl-lru.ts). Keyed by texts the
// Worker carries, so few; the bound is a guard.
const memo = new TtlLru<string>(128, Infinity);

/** The SHA-256 digest (FIPS 180-4) of `text` as UTF-8 in the form `format` (a named function: its name keys the memo) gives, once per isolate. */
export async function staticTextDigest(text: string, format: (digest: Uint8Array) => string): Promise<string> {
  const key = `${format.name}\u0000${text}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const value = format(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
  memo.set(key, value);
  return value;
}
