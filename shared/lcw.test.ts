import { describe, expect, it } from "vitest";
import { lcwDeepLink } from "./lcw.ts";
import { credentialUrls } from "./public-urls.ts";

describe("Learner Credential Wallet deep link", () => {
  it("asks the wallet to POST its DID Authentication to the credential's request URL (bearer flow)", () => {
    const id = "0b6f6c1e-3c3a-4d5e-9f00-1a2b3c4d5e6f";
    const link = new URL(lcwDeepLink(credentialUrls("https://badges.example.org", id).walletRequest, id));
    expect(link.origin + link.pathname).toBe("https://lcw.app/request.html");
    expect([...link.searchParams]).toEqual([
      ["issuer", "badges.example.org"],
      ["auth_type", "bearer"],
      ["challenge", id],
      ["vc_request_url", `https://badges.example.org/c/${id}/lcw-request`],
    ]);
  });
});
