// Property tests of compact JWS decoding and VC-JWT verification (RFC 7515 §7.1, RFC 8725): any
// string, any JSON in the segments and any mutation of a real token decode to a value or a reason
// and verify to a result that is never `valid` unless the token is the issuer's own, unchanged.
import fc from "fast-check";
import { base64url } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";
import { CheckList } from "./check-list.ts";
import { compactJwsProblem } from "./compact.ts";
import { decodeCompactJws } from "./parse.ts";
import { verifyVcJwt } from "./verify.ts";

const RUNS = { numRuns: 200 };
const text = new TextEncoder();
const segment = (value: unknown) => base64url.encode(text.encode(typeof value === "string" ? value : JSON.stringify(value)));
const base64urlChars = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/);

// Strings biased towards JWT structure: dots, base64url, padding and a few JSON-ish bytes.
const jwtLike = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(fc.oneof(base64urlChars, fc.constantFrom(".", "=", "+", "/", "eyJ", " ", "\u00e9")), { maxLength: 12 }).map((p) => p.join("")),
);

function nested(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

let issuer: TestIssuer;
let jwt: string;

beforeAll(async () => {
  issuer = await makeIssuer("fuzz");
  ({ jwt } = await issue(issuer));
});

describe("decodeCompactJws, property-based", () => {
  it("any string decodes to header and payload objects or to a reason, never a throw", () => {
    fc.assert(
      fc.property(jwtLike, (token) => {
        const decoded = decodeCompactJws(token);
        if (typeof decoded !== "string") {
          expect(compactJwsProblem(token, Infinity)).toBeNull();
          expect(typeof decoded.header).toBe("object");
          expect(typeof decoded.payload).toBe("object");
        }
      }),
      RUNS,
    );
  });

  it("any JSON in the header and payload segments: objects decode, everything else is a reason", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 6 }), base64urlChars, (h, p, s) => {
        const decoded = decodeCompactJws(`${segment(h)}.${segment(p)}.${s}`);
        const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
        if (isObject(h) && isObject(p)) expect(decoded).toEqual({ header: JSON.parse(JSON.stringify(h)), payload: JSON.parse(JSON.stringify(p)) });
        else expect(typeof decoded).toBe("string");
      }),
      RUNS,
    );
  });

  it("refuses JSON nested deeper than 32 levels before parsing it", () => {
    const deep = `${segment(`{"a":${nested(40)}}`)}.${segment({})}.AAAA`;
    expect(decodeCompactJws(deep)).toMatch(/protected header .*deeper than 32/);
    const ok = `${segment(`{"a":${nested(30)}}`)}.${segment({})}.AAAA`;
    expect(typeof decodeCompactJws(ok)).toBe("object");
  });

  it("bounds the work: segment count, header size and charset are refused in one pass", { timeout: 20_000 }, () => {
    expect(decodeCompactJws("a.".repeat(500_000))).toMatch(/more than 3/);
    expect(decodeCompactJws(`${"A".repeat(9000)}.${segment({})}.`)).toMatch(/protected header is over 8192 characters/);
    expect(decodeCompactJws(`${segment({ alg: "ES256" })}.${segment({})}.ab=`)).toMatch(/not base64url/);
    expect(decodeCompactJws("A".repeat(5 * 1024 * 1024))).toMatch(/limit/);
  });
});

describe("verifyVcJwt, property-based", () => {
  const opts = () => ({ resolveIssuerKeys: issuer.resolveIssuerKeys });

  it("arbitrary header and payload objects never verify, never throw", async () => {
    const header = fc.record(
      { alg: fc.constantFrom("ES256", "EdDSA", "none", "HS256", 1), typ: fc.constantFrom("JWT", "vc+jwt", "at+jwt"), kid: fc.constantFrom(`${issuer.did}#${issuer.key.keyId}`, "x") },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(header, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), base64urlChars, async (h, p, s) => {
        const list = new CheckList();
        const outcome = await verifyVcJwt(`${segment(h)}.${segment(p)}.${s}`, opts(), list);
        expect(outcome.signatureVerified).toBe(false);
        expect(list.status(outcome.signatureVerified)).not.toBe("valid");
      }),
      { numRuns: 100 },
    );
  });

  it("any change to a real token's characters makes it fail, unless the change is a no-op", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: jwt.length - 1 }), fc.nat({ max: alphabet.length - 1 }), async (at, pick) => {
        const mutated = jwt.slice(0, at) + alphabet[pick] + jwt.slice(at + 1);
        const list = new CheckList();
        const outcome = await verifyVcJwt(mutated, opts(), list);
        // base64url's last character can carry unused bits: a different character may decode the same.
        if (mutated !== jwt && outcome.signatureVerified) {
          const same = (a: string, b: string) => a.split(".").every((seg, i) => base64url.decode(seg).join() === base64url.decode(b.split(".")[i]!).join());
          expect(same(mutated, jwt)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
