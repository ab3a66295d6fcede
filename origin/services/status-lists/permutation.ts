// Turns a list's sequential allocation counter into a scattered status index. Bitstring Status
// List v1.0 §6 (privacy) asks that indexes not reveal issuance order; a secret keyed permutation
// of [0, size) gives every credential a random-looking index that can never collide with another
// position of the same list, so allocation needs no "find a free bit" search even when a list is
// nearly full.
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import { deriveKey } from "../signing/key-encryption.ts";

const ROUNDS = 4;

// murmur3's 32-bit finaliser: a fast, well-mixing round function for the Feistel network.
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A keyed bijection on [0, size): a balanced Feistel network plus cycle walking. */
export class IndexPermutation {
  readonly size: number;
  private readonly roundKeys: readonly number[];
  private readonly half: number;
  private readonly mask: number;

  constructor(size: number, roundKeys: readonly number[]) {
    this.size = size;
    this.roundKeys = roundKeys;
    if (!Number.isSafeInteger(size) || size < 2 || size > 2 ** 30) throw new RangeError(`unsupported list size ${size}`);
    const bits = Math.max(2, Math.ceil(Math.log2(size)));
    this.half = Math.ceil(bits / 2);
    this.mask = (1 << this.half) - 1;
  }

  private encryptOnce(x: number): number {
    let left = x >>> this.half;
    let right = x & this.mask;
    for (let r = 0; r < ROUNDS; r++) {
      const next = (left ^ mix32(right ^ (this.roundKeys[r] ?? 0))) & this.mask;
      left = right;
      right = next;
    }
    return left * (this.mask + 1) + right;
  }

  /** The index for allocation position `position` (0 ≤ position < size). */
  at(position: number): number {
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.size) {
      throw new RangeError(`position ${position} out of range`);
    }
    // Cycle walking: the Feistel domain is 2^(2·half) ≥ size; re-apply until inside [0, size).
    let x = this.encryptOnce(position);
    while (x >= this.size) x = this.encryptOnce(x);
    return x;
  }
}

// Settled permutations only (the rule of shared/cache/ttl-lru.ts), at most 1024 lists per isolate.
const cache = new TtlLru<IndexPermutation>(1024, Infinity);

/** The permutation of one list, keyed by HMAC(HKDF(KEY_ENCRYPTION_SECRET), list id). */
export async function permutationFor(secret: string, listId: string, size: number): Promise<IndexPermutation> {
  const cacheKey = `${listId}\u0000${size}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const key = await deriveKey(secret, "status-index-permutation", "hmac");
  const mac = new DataView(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(listId)));
  const roundKeys = Array.from({ length: ROUNDS }, (_, i) => mac.getUint32(i * 4));
  const perm = new IndexPermutation(size, roundKeys);
  cache.set(cacheKey, perm);
  return perm;
}
