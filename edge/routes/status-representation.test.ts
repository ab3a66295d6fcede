import { describe, expect, it } from "vitest";
import { statusListRepresentation } from "./status-representation.ts";

describe("status list content negotiation", () => {
  it("answers JSON media types with the JSON-LD list", () => {
    for (const accept of ["application/vc+ld+json", "application/ld+json", "application/json", "text/html, application/json;q=0.5", "Application/JSON"]) {
      expect(statusListRepresentation(accept), accept).toBe("json-ld");
    }
  });

  it("keeps the VC-JWT for anything else, and when the JWT is preferred", () => {
    for (const accept of [null, "", "*/*", "application/vc+jwt", "application/jwt", "text/plain", "application/json;q=0", "application/vc+jwt, application/json;q=0.5", "application/json;q=abc"]) {
      expect(statusListRepresentation(accept), String(accept)).toBe("jwt");
    }
  });

  it("does not parse an oversized header", () => {
    expect(statusListRepresentation(`application/json, ${"x".repeat(2000)}`)).toBe("jwt");
  });
});
