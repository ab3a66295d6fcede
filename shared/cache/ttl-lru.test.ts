import { describe, expect, it } from "vitest";
import { TtlLru } from "./ttl-lru.ts";

// Times are passed explicitly (the `now` parameters), so nothing here depends on the clock.
describe("TtlLru", () => {
  it("answers a value until its TTL has passed, then forgets it", () => {
    const cache = new TtlLru<string>(10, 1_000);
    cache.set("a", "A", undefined, 5_000);
    expect(cache.get("a", 5_999)).toBe("A");
    expect(cache.get("a", 6_000)).toBeUndefined();
    expect(cache.size).toBe(0); // the expired entry was dropped, not kept
    expect(cache.get("a", 5_500)).toBeUndefined();
  });

  it("takes a per-entry TTL over the default", () => {
    const cache = new TtlLru<string>(10, 1_000);
    cache.set("short", "S", 100, 0);
    cache.set("long", "L", 10_000, 0);
    expect(cache.get("short", 100)).toBeUndefined();
    expect(cache.get("long", 9_999)).toBe("L");
  });

  it("keeps entries with an infinite TTL until they are evicted", () => {
    const cache = new TtlLru<number>(2, Infinity);
    cache.set("a", 1, undefined, 0);
    expect(cache.get("a", Number.MAX_SAFE_INTEGER)).toBe(1);
  });

  it("never holds more than maxEntries", () => {
    const cache = new TtlLru<number>(3, 60_000);
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
    expect(cache.get("k49")).toBe(49);
    expect(cache.get("k0")).toBeUndefined();
  });

  it("evicts the least recently used entry: a read makes an entry recent", () => {
    const cache = new TtlLru<number>(2, 60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // "b" is now the least recently used
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("replacing a key refreshes it without evicting another", () => {
    const cache = new TtlLru<number>(2, 1_000);
    cache.set("a", 1, undefined, 0);
    cache.set("b", 2, undefined, 0);
    cache.set("a", 10, undefined, 500); // full, but "a" is already held: nothing else goes
    expect(cache.size).toBe(2);
    expect(cache.get("b", 600)).toBe(2);
    expect(cache.get("a", 1_400)).toBe(10); // its TTL runs from the second set
  });

  it("forgets one key on delete and every key on clear", () => {
    const cache = new TtlLru<number>(5, 60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("refuses a bound or TTL that would make it hold nothing or everything", () => {
    expect(() => new TtlLru(0, 1_000)).toThrow(RangeError);
    expect(() => new TtlLru(1.5, 1_000)).toThrow(RangeError);
    expect(() => new TtlLru(10, 0)).toThrow(RangeError);
    expect(() => new TtlLru(10, Number.NaN)).toThrow(RangeError);
  });
});
