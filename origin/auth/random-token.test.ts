import { describe, expect, it } from "vitest";
import { randomBytes, randomToken } from "./random-token.ts";

describe("random tokens", () => {
  it("are 256-bit base64url by default (43 characters, no padding), and differ every time", () => {
    const tokens = new Set(Array.from({ length: 50 }, () => randomToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{43}$/);
  });

  it("carry the bytes asked for", () => {
    expect(randomToken(16)).toMatch(/^[\w-]{22}$/);
    expect(randomBytes(12)).toHaveLength(12);
  });
});
