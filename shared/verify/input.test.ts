import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { extractCredentialInput } from "./input.ts";
import { bakePng } from "../bake/png.ts";
import { bakeSvg } from "../bake/svg.ts";

const JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6d2ViOmEifQ.c2lnbmF0dXJl";
const PNG_1x1 = base64url.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg");

describe("extractCredentialInput", () => {
  it("accepts a compact JWT, as text or bytes, with surrounding whitespace", () => {
    expect(extractCredentialInput(`  ${JWT}\n`)).toEqual({ ok: true, jwt: JWT, format: "jwt" });
    expect(extractCredentialInput(new TextEncoder().encode(JWT))).toEqual({ ok: true, jwt: JWT, format: "jwt" });
  });

  it('accepts {"credential": jwt}', () => {
    expect(extractCredentialInput(JSON.stringify({ credential: JWT }))).toEqual({ ok: true, jwt: JWT, format: "json" });
  });

  it("accepts baked PNG and SVG badges", () => {
    expect(extractCredentialInput(bakePng(PNG_1x1, JWT))).toEqual({ ok: true, jwt: JWT, format: "png" });
    expect(extractCredentialInput(bakePng(PNG_1x1, JWT).buffer)).toMatchObject({ ok: true, format: "png" });
    expect(extractCredentialInput(bakeSvg("<svg></svg>", JWT))).toEqual({ ok: true, jwt: JWT, format: "svg" });
  });

  it("hands JWT-shaped text to the verifier even when unsecured or malformed (alg none, padding)", () => {
    const unsecured = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJkaWQ6d2ViOmEifQ.";
    expect(extractCredentialInput(unsecured)).toEqual({ ok: true, jwt: unsecured, format: "jwt" });
    expect(extractCredentialInput("eyJh=.eyJp+/.c2ln")).toMatchObject({ ok: true, format: "jwt" });
  });

  it("returns coded errors for everything else, without throwing", () => {
    const cases: [string | Uint8Array, string][] = [
      ["", "UNSUPPORTED_INPUT"],
      ["hello world", "UNSUPPORTED_INPUT"],
      ["{not json", "INVALID_JSON"],
      ['{"jwt": "a.b.c"}', "UNSUPPORTED_INPUT"],
      ["null", "UNSUPPORTED_INPUT"],
      [PNG_1x1, "NO_CREDENTIAL"],
      [PNG_1x1.subarray(0, 30), "TRUNCATED"],
      [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "UNSUPPORTED_INPUT"],
      ["x".repeat(9 * 1024 * 1024), "TOO_LARGE"],
      ["a.b.c.d", "MALFORMED_JWT"],
      ["a.".repeat(500_000), "MALFORMED_JWT"],
      [`{"credential":${"[".repeat(40)}`, "JSON_TOO_DEEP"],
      ["<svg ".repeat(200_000), "NOT_SVG"],
    ];
    for (const [input, code] of cases) {
      const r = extractCredentialInput(input);
      expect(r.ok, String(input).slice(0, 30)).toBe(false);
      if (!r.ok) expect(r.code, String(input).slice(0, 30)).toBe(code);
    }
  });
});
