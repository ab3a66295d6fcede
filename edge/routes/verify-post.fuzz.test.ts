// POST /api/v1/verify inside workerd, property-based: any body under any accepted or refused media
// type answers 200 with a VerificationResult or a 4xx problem+json, never a 5xx or a thrown error.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { fallbackBadge } from "../services/badge-fallback.ts";
import { call, seedWorld } from "../test/fixtures.ts";

const STATUSES = ["valid", "revoked", "expired", "not_yet_valid", "invalid", "unknown"];
let client = 0;

let jwt: string;
let png: Uint8Array;

beforeAll(async () => {
  const { creds } = await seedWorld();
  jwt = creds[0]!.jwt;
  png = await fallbackBadge(jwt);
});

function mutate(text: string, at: number, by: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + by + text.slice(i + 1);
}

describe("POST /api/v1/verify, property-based", () => {
  it("answers a VerificationResult or a 4xx problem for any body", { timeout: 60_000 }, async () => {
    const contentType = fc.constantFrom("text/plain", "application/vc+jwt", "application/json", "image/png", "application/jwt", "image/gif", "text/plain; charset=utf-8");
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([at, by]) => mutate(jwt, at, by)),
      fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([at, by]) => JSON.stringify({ credential: mutate(jwt, at, by) })),
      fc.tuple(fc.nat({ max: 2000 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
        const bytes = png.slice();
        bytes[at % bytes.length]! ^= xor;
        return bytes;
      }),
      fc.tuple(fc.constantFrom("<svg ", "{", "[", '{"credential":', "a.", "<svg><!--", "\u0000"), fc.nat({ max: 20_000 })).map(([p, n]) => p.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(contentType, body, async (type, payload) => {
        const res = await call("/api/v1/verify", {
          method: "POST",
          body: payload,
          headers: { "content-type": type, "cf-connecting-ip": `2001:db8::${(++client).toString(16)}` },
        });
        if (res.status === 200) {
          const result: VerificationResult = await res.json();
          expect(STATUSES).toContain(result.status);
          expect(result.verified).toBe(result.status === "valid");
          expect(Array.isArray(result.checks)).toBe(true);
        } else {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
          expect(await res.json()).toMatchObject({ status: res.status, code: expect.stringMatching(/^[A-Z_]+$/) });
        }
      }),
      { numRuns: 80 },
    );
  });
});
