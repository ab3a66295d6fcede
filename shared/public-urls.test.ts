import { describe, expect, it } from "vitest";
import { issuerDid } from "./keys/did-web.ts";
import {
  badgeImagePath,
  credentialPageUrl,
  credentialUrls,
  issuerDidDocumentUrl,
  issuerJwksUrl,
  normalizePublicBaseUrl,
  PublicBaseUrlError,
  statusListIdOfUrl,
  statusListUrl,
} from "./public-urls.ts";

const ID = "6f1c2a9e-0b7d-4c1e-9a55-2f0e6d3b8c41";

describe("public base URL", () => {
  it("keeps the origin and a path prefix, without trailing slashes", () => {
    expect(normalizePublicBaseUrl("https://verify.example.edu")).toBe("https://verify.example.edu");
    expect(normalizePublicBaseUrl("https://verify.example.edu///")).toBe("https://verify.example.edu");
    expect(normalizePublicBaseUrl(" http://127.0.0.1:8787/ ")).toBe("http://127.0.0.1:8787");
    expect(normalizePublicBaseUrl("https://Example.EDU/laurel/")).toBe("https://example.edu/laurel");
  });

  it("refuses what cannot prefix public URLs, naming the rule", () => {
    for (const [raw, rule] of [
      ["", /absolute URL/],
      ["verify.example.edu", /absolute URL/],
      ["ftp://verify.example.edu", /http or https/],
      ["javascript:alert(1)", /http or https/],
      ["https://user:pw@verify.example.edu", /user info/],
      ["https://verify.example.edu/?a=1", /query or fragment/],
      ["https://verify.example.edu/#x", /query or fragment/],
    ] as const) {
      expect(() => normalizePublicBaseUrl(raw), raw).toThrow(PublicBaseUrlError);
      expect(() => normalizePublicBaseUrl(raw), raw).toThrow(rule);
    }
  });
});

describe("public URLs", () => {
  const base = "https://verify.example.edu/laurel";

  it("builds the credential's verify page and its resources", () => {
    expect(credentialPageUrl(base, ID)).toBe(`${base}/c/${ID}`);
    expect(credentialUrls(base, ID)).toEqual({
      page: `${base}/c/${ID}`,
      jwt: `${base}/c/${ID}.jwt`,
      json: `${base}/c/${ID}.json`,
      badge: `${base}/c/${ID}/badge.png`,
      card: `${base}/c/${ID}/card.png`,
      certificate: `${base}/c/${ID}/certificate.pdf`,
      embed: `${base}/c/${ID}/embed`,
      linkedin: `${base}/c/${ID}/linkedin`,
      walletRequest: `${base}/c/${ID}/lcw-request`,
      oembed: `${base}/oembed?url=${encodeURIComponent(`${base}/c/${ID}`)}&format=json`,
    });
    expect(badgeImagePath(ID)).toBe(`/c/${ID}/badge.png`);
  });

  it("builds status list and issuer document URLs, and reads a list id back", () => {
    expect(statusListUrl(base, "list-1")).toBe(`${base}/status/list-1`);
    expect(statusListIdOfUrl(`${base}/status/list-1`, base)).toBe("list-1");
    expect(statusListIdOfUrl("https://elsewhere.example/status/list-1", base)).toBeNull();
    expect(issuerDidDocumentUrl(base, "acme")).toBe(`${base}/issuers/acme/did.json`);
    expect(issuerJwksUrl(base, "acme")).toBe(`${base}/issuers/acme/jwks.json`);
  });

  it("names the issuer with the did:web its did.json URL resolves to", () => {
    expect(issuerDid("http://127.0.0.1:8787/", "acme")).toBe("did:web:127.0.0.1%3A8787:issuers:acme");
    expect(issuerDid(base, "acme")).toBe("did:web:verify.example.edu:laurel:issuers:acme");
    expect(() => issuerDid("ftp://verify.example.edu", "acme")).toThrow(PublicBaseUrlError);
  });
});
