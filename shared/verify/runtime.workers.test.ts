// The same core inside workerd (edge project): WebCrypto ES256/EdDSA through jose,
// CompressionStream GZIP and PNG baking, with no Node APIs.
import { describe, expect, it } from "vitest";
import { extractCredentialInput } from "./input.ts";
import { verifyCredential } from "./verify-credential.ts";
import { bakePng } from "../bake/png.ts";
import { decodeStatusList } from "../status-list/codec.ts";
import { base64url } from "jose";
import { BASE_URL, issue, makeIssuer, optionsFor, signedList } from "../testing/fixtures.ts";

const LIST = `${BASE_URL}/status/list-1`;
const PNG_1x1 = base64url.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg");

describe("shared core in workerd", () => {
  for (const alg of ["ES256", "EdDSA"] as const) {
    it(`signs, bakes, extracts and verifies an ${alg} credential; revocation flips the status`, async () => {
      const issuer = await makeIssuer("workerd", alg);
      const { jwt } = await issue(issuer);
      const extracted = extractCredentialInput(bakePng(PNG_1x1, jwt));
      expect(extracted).toEqual({ ok: true, jwt, format: "png" });
      const valid = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer) }));
      expect(valid.status).toBe("valid");
      const revoked = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer, [42]) }));
      expect(revoked.status).toBe("revoked");
    });
  }

  it("decodes the W3C example list and caps zip bombs with DecompressionStream", async () => {
    const bits = await decodeStatusList("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA");
    expect(bits.length).toBe(16_384);
    const zeros = new Uint8Array(32 * 1024 * 1024);
    const gz = new Uint8Array(await new Response(new Blob([zeros]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    await expect(decodeStatusList(`u${base64url.encode(gz)}`)).rejects.toThrow(/inflates beyond/);
  });
});
