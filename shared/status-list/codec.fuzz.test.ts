// Property tests of encodedList decoding (Bitstring Status List v1.0 §3.4): any string, and any
// mutation of a real list, decodes to a bitstring or a StatusListDecodeError, never another
// exception; a GZIP bomb stops at the cap.
import fc from "fast-check";
import { base64url } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createBitstring, getBit, setBit } from "./bitstring.ts";
import { decodeStatusList, encodeStatusList, StatusListDecodeError } from "./codec.ts";

async function decodesOrRefuses(encoded: string, maxBytes?: number): Promise<Uint8Array | StatusListDecodeError> {
  try {
    return await decodeStatusList(encoded, maxBytes);
  } catch (e) {
    if (e instanceof StatusListDecodeError) return e;
    throw e;
  }
}

let encoded: string;

beforeAll(async () => {
  const bits = createBitstring();
  setBit(bits, 7);
  encoded = await encodeStatusList(bits);
});

describe("decodeStatusList, property-based", () => {
  it("any string gives a bitstring or a StatusListDecodeError", async () => {
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.stringMatching(/^u[A-Za-z0-9_-]{0,200}$/),
      fc.uint8Array({ maxLength: 200 }).map((b) => `u${base64url.encode(b)}`),
      // A GZIP header followed by arbitrary bytes reaches the inflater.
      fc.uint8Array({ maxLength: 200 }).map((b) => `u${base64url.encode(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...b]))}`),
    );
    await fc.assert(fc.asyncProperty(input, async (s) => void (await decodesOrRefuses(s))), { numRuns: 150 });
  });

  it("any mutation of a real encodedList decodes or is refused, and the unchanged list keeps its bits", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: encoded.length - 1 }), fc.nat({ max: alphabet.length - 1 }), fc.nat({ max: encoded.length }), async (at, pick, cut) => {
        const mutated = (encoded.slice(0, at) + alphabet[pick] + encoded.slice(at + 1)).slice(0, Math.max(cut, 1));
        await decodesOrRefuses(mutated);
      }),
      { numRuns: 100 },
    );
    const bits = await decodeStatusList(encoded);
    expect(getBit(bits, 7)).toBe(true);
    expect(getBit(bits, 8)).toBe(false);
  });

  it("stops inflating at the cap (a zip bomb is refused, not expanded)", async () => {
    const bomb = await encodeStatusList(new Uint8Array(new ArrayBuffer(8 * 1024 * 1024)));
    expect(await decodesOrRefuses(bomb, 1024 * 1024)).toBeInstanceOf(StatusListDecodeError);
  });
});
