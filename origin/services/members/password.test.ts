import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password.ts";

describe("console password hashing (PBKDF2-SHA-256, 600,000 iterations, in workerd)", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^pbkdf2-sha256\$600000\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it("rejects malformed or out-of-bounds stored hashes", async () => {
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
    expect(await verifyPassword("x", "pbkdf2-sha256$999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).toBe(false);
    expect(await verifyPassword("x", "pbkdf2-sha256$600000$!!$AAAA")).toBe(false);
  });

  // The reason PBKDF2 at 600,000 is usable at all: workerd once capped PBKDF2 at 100,000 iterations.
  it("workerd derives PBKDF2 with 600,000 iterations", async () => {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("pw"), "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations: 600_000 }, key, 256);
    // The value Node's pbkdf2Sync("pw", 16 zero bytes, 600000, 32, "sha256") gives: no silent clamping.
    expect(Buffer.from(bits).toString("hex")).toBe("55f30fd716bd2f090338b33c794713e0d2adf83a8f6222469659fc5b6cabede2");
  });
});
