// Property tests of the verifier's front door: whatever a client sends (text, bytes, JSON bodies),
// extractCredentialInput answers a JWT or a coded refusal without throwing, and the JWT goes on
// to a VerificationResult. Also the JSON depth pre-scan against the real nesting depth.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, parseJsonBounded } from "../json-bounded.ts";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";
import { extractCredentialInput, securedCredentialOf, type CredentialInput } from "./input.ts";
import { verifyCredential } from "./verify-credential.ts";

const RUNS = { numRuns: 300 };
const KNOWN_REFUSALS = [
  "TOO_LARGE", "INVALID_JSON", "JSON_TOO_DEEP", "UNSUPPORTED_INPUT", "MALFORMED_JWT",
  "NOT_PNG", "NOT_SVG", "TRUNCATED", "BAD_CRC", "MALFORMED_CHUNK", "NO_CREDENTIAL", "DUPLICATE_CREDENTIAL",
  "COMPRESSED_CREDENTIAL", "INVALID_CREDENTIAL_TEXT",
];

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === "object" && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

function wellFormed(r: CredentialInput): void {
  if (r.ok) {
    expect("jwt" in r ? typeof r.jwt : typeof r.credential).toBe("jwt" in r ? "string" : "object");
    expect(["jwt", "json", "png", "svg"]).toContain(r.format);
  } else {
    expect(KNOWN_REFUSALS).toContain(r.code);
    // extractCredentialInput turns unexpected exceptions into UNSUPPORTED_INPUT with their message:
    // only its own two messages may appear, or a parser threw where it should have refused.
    if (r.code === "UNSUPPORTED_INPUT") expect(r.message).toMatch(/^(JSON input must be|not a compact JWT, credential JSON)/);
  }
}

// Bodies shaped like what the endpoint accepts, and like what attackers send instead.
const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ credential: v })),
  fc.stringMatching(/^[A-Za-z0-9_=+/-]{0,30}(\.[A-Za-z0-9_=+/-]{0,30}){0,4}$/),
  fc.tuple(fc.constantFrom("{", "[", '{"credential":', "<svg ", "<svg>", "a."), fc.nat({ max: 3000 })).map(([p, n]) => p.repeat(n)),
);

let issuer: TestIssuer;
let jwt: string;

beforeAll(async () => {
  issuer = await makeIssuer("fuzz-input");
  ({ jwt } = await issue(issuer));
});

describe("JSON depth pre-scan", () => {
  it("agrees with the real depth of any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.nat({ max: 14 }), (value, limit) => {
        const textValue = JSON.stringify(value);
        expect(jsonNestsDeeperThan(textValue, limit)).toBe(depthOf(value) > limit);
      }),
      RUNS,
    );
  });

  it("is not fooled by brackets, quotes and escapes inside strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("[", "{", "]", "}", '"', "\\", "a") }), (s) => {
        expect(jsonNestsDeeperThan(JSON.stringify({ s: [s] }), 2)).toBe(false);
      }),
      RUNS,
    );
  });

  it("refuses 1 MB of nesting without parsing, and parses what is shallow enough", () => {
    expect(parseJsonBounded("[".repeat(1_000_000))).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
    expect(parseJsonBounded(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)).toMatchObject({ ok: true });
    expect(parseJsonBounded("[}")).toMatchObject({ ok: false, code: "INVALID_JSON" });
  });
});

describe("extractCredentialInput, property-based", () => {
  it("any text or bytes give a JWT or a coded refusal, never a throw", () => {
    fc.assert(fc.property(body, (text) => wellFormed(extractCredentialInput(text))), RUNS);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => wellFormed(extractCredentialInput(bytes))), RUNS);
  });

  it('{"credential": jwt} with any extra members and whitespace extracts the JWT', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), fc.constantFrom("", " ", "\n\t"), (extra, ws) => {
        const { credential: _ignored, ...rest } = extra;
        const text = `${ws}${JSON.stringify({ ...rest, credential: jwt })}${ws}`;
        expect(extractCredentialInput(text)).toEqual({ ok: true, jwt, format: "json" });
      }),
      RUNS,
    );
  });

  it("whatever is extracted verifies to a VerificationResult that is valid only for the real credential", async () => {
    const opts = { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) };
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, fc.constant(jwt), fc.constant(JSON.stringify({ credential: jwt }))), async (text) => {
        const input = extractCredentialInput(text);
        if (!input.ok) return;
        const result = await verifyCredential(securedCredentialOf(input), opts);
        expect(["valid", "revoked", "expired", "not_yet_valid", "invalid", "unknown"]).toContain(result.status);
        expect(result.verified).toBe(result.status === "valid");
        if (result.verified) expect(securedCredentialOf(input)).toBe(jwt);
      }),
      { numRuns: 150 },
    );
  });
});
