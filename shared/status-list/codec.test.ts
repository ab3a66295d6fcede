import { decodeList, BitstringStatusList } from "@digitalbazaar/vc-bitstring-status-list";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { clearBit, createBitstring, getBit, setBit } from "./bitstring.ts";
import { decodeStatusList, encodeStatusList, StatusListDecodeError } from "./codec.ts";

// Bitstring Status List v1.0 (W3C Recommendation, 2025-05-15), §2.2 Example 3 "Example
// BitstringStatusListCredential": an all-zero list of 131,072 entries.
const SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

describe("bitstring", () => {
  it("index 0 is the most significant bit of the first byte", () => {
    const bits = createBitstring();
    setBit(bits, 0);
    setBit(bits, 9);
    expect(bits[0]).toBe(0b1000_0000);
    expect(bits[1]).toBe(0b0100_0000);
    expect(getBit(bits, 0)).toBe(true);
    expect(getBit(bits, 1)).toBe(false);
    clearBit(bits, 0);
    expect(bits[0]).toBe(0);
    setBit(bits, 131_071);
    expect(bits[16_383]).toBe(1);
  });

  it("has at least 131,072 entries and refuses indexes outside it", () => {
    expect(createBitstring().length).toBe(16_384);
    expect(() => createBitstring(1024)).toThrow(RangeError);
    const bits = createBitstring();
    expect(() => getBit(bits, 131_072)).toThrow(RangeError);
    expect(() => setBit(bits, -1)).toThrow(RangeError);
    expect(() => setBit(bits, 1.5)).toThrow(RangeError);
  });
});

describe("encodedList codec", () => {
  it("decodes the W3C specification's example to an empty 16 KiB list", async () => {
    const bits = await decodeStatusList(SPEC_EXAMPLE);
    expect(bits.length).toBe(16_384);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it("round-trips set bits", async () => {
    const bits = createBitstring(262_144);
    for (const i of [0, 7, 8, 42, 131_071, 262_143]) setBit(bits, i);
    const encoded = await encodeStatusList(bits);
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/); // multibase 'u', GZIP magic, no padding
    const back = await decodeStatusList(encoded);
    expect(back).toEqual(bits);
    expect([0, 7, 8, 42, 131_071, 262_143].every((i) => getBit(back, i))).toBe(true);
    expect(getBit(back, 1)).toBe(false);
  });

  it("is decoded identically by @digitalbazaar/vc-bitstring-status-list", async () => {
    const bits = createBitstring();
    for (const i of [0, 3, 42, 1000, 131_071]) setBit(bits, i);
    const theirs = await decodeList({ encodedList: await encodeStatusList(bits) });
    expect(theirs.length).toBe(131_072);
    for (const i of [0, 3, 42, 1000, 131_071]) expect(theirs.getStatus(i)).toBe(true);
    for (const i of [1, 2, 41, 43, 999, 131_070]) expect(theirs.getStatus(i)).toBe(false);
  });

  it("decodes lists encoded by @digitalbazaar/vc-bitstring-status-list", async () => {
    const list = new BitstringStatusList({ length: 131_072 });
    list.setStatus(5, true);
    list.setStatus(77_777, true);
    const bits = await decodeStatusList(await list.encode());
    expect(getBit(bits, 5)).toBe(true);
    expect(getBit(bits, 77_777)).toBe(true);
    expect(getBit(bits, 6)).toBe(false);
  });

  it("rejects malformed encodings", async () => {
    const body = SPEC_EXAMPLE.slice(1);
    for (const bad of [body, `z${body}`, `u${body}==`, "u!!!", "u", `u${base64url.encode(new TextEncoder().encode("not gzip"))}`]) {
      await expect(decodeStatusList(bad), bad).rejects.toBeInstanceOf(StatusListDecodeError);
    }
  });

  it("rejects lists smaller than 16 KiB", async () => {
    const small = `u${base64url.encode(await gzip(new Uint8Array(1024)))}`;
    await expect(decodeStatusList(small)).rejects.toThrow(/minimum 16384/);
  });

  it("stops inflating a zip bomb at the cap", async () => {
    // 64 MiB of zeros gzips to ~64 KiB; inflating it must stop at the 16 MiB cap.
    const bomb = `u${base64url.encode(await gzip(new Uint8Array(64 * 1024 * 1024)))}`;
    expect(bomb.length).toBeLessThan(200_000);
    await expect(decodeStatusList(bomb)).rejects.toThrow(/inflates beyond 16777216/);
    await expect(decodeStatusList(bomb, 1024 * 1024)).rejects.toThrow(/inflates beyond 1048576/);
  });
});
