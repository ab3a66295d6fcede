import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { verifyCredential } from "./verify-credential.ts";
import { createStatusResolver } from "./status.ts";
import { BASE_URL, issue, makeIssuer, optionsFor, signedList } from "../testing/fixtures.ts";
import type { VerificationResult } from "./types.ts";

const LIST = `${BASE_URL}/status/list-1`;

function names(r: VerificationResult): string[] {
  return r.checks.map((c) => c.name);
}

describe("verifyCredential: valid credentials", () => {
  it("accepts a freshly issued ES256 credential and reports every check", async () => {
    const issuer = await makeIssuer();
    const { credential, jwt } = await issue(issuer, { validUntil: new Date(Date.now() + 86400_000) });
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer) }));
    expect(r.status).toBe("valid");
    expect(r.verified).toBe(true);
    expect(r.reason).toBeUndefined();
    expect(names(r)).toEqual([
      "size", "format", "algorithm", "type", "header", "key", "signature", "claims", "valid_from", "valid_until", "shape", "status",
    ]);
    expect(r.checks.every((c) => c.ok)).toBe(true);
    expect(r.credential).toEqual({
      id: credential.id,
      name: "Intro to Cryptography",
      issuer: { id: issuer.did, name: issuer.name },
      recipientName: "Ada Lovelace",
      achievement: { name: "Intro to Cryptography" },
      validFrom: credential.validFrom,
      validUntil: credential.validUntil,
    });
  });

  it("accepts EdDSA-signed credentials", async () => {
    const issuer = await makeIssuer("ed", "EdDSA");
    const { jwt } = await issue(issuer);
    expect(JSON.parse(atob(jwt.split(".")[0]!))).toMatchObject({ alg: "EdDSA", typ: "JWT" });
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer) }));
    expect(r.status).toBe("valid");
  });

  it("puts header kid = <issuer did>#<key id> and the JWT claims from the credential", async () => {
    const issuer = await makeIssuer();
    const { credential, jwt } = await issue(issuer, { validUntil: "2031-05-06T07:08:09Z" });
    const [h, p] = jwt.split(".");
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(h!)));
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    expect(header).toEqual({ alg: "ES256", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}` });
    expect(payload.iss).toBe(issuer.did);
    expect(payload.jti).toBe(credential.id);
    expect(payload.sub).toBe(credential.credentialSubject.id);
    expect(payload.nbf).toBe(Date.parse(credential.validFrom) / 1000);
    expect(payload.exp).toBe(Date.parse("2031-05-06T07:08:09Z") / 1000);
  });
});

describe("verifyCredential: status is three-valued", () => {
  it("reports revoked, with the caller's reason", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const r = await verifyCredential(jwt, {
      resolveIssuerKeys: issuer.resolveIssuerKeys,
      resolveStatus: () => ({ bitSet: true, reason: "issued in error" }),
    });
    expect(r.status).toBe("revoked");
    expect(r.verified).toBe(false);
    expect(r.reason).toBe("issued in error");
    expect(r.checks.find((c) => c.name === "status")).toMatchObject({ ok: false, detail: "revoked: issued in error" });
    expect(r.credential?.recipientName).toBe("Ada Lovelace");
  });

  it("reports revoked from a signed status list with the bit set", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer, [41, 42, 43]) }));
    expect(r.status).toBe("revoked");
    expect(r.reason).toBe("revoked by the issuer");
  });

  it("is not revoked when only neighbouring bits are set", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await signedList(issuer, [41, 43]) }));
    expect(r.status).toBe("valid");
  });

  for (const [label, resolveStatus] of [
    ["the resolver returns null", () => null],
    ["the resolver throws", () => { throw new Error("fetch failed: ECONNREFUSED"); }],
    ["there is no resolver", undefined],
  ] as const) {
    it(`is unknown, never valid, when ${label}`, async () => {
      const issuer = await makeIssuer();
      const { jwt } = await issue(issuer);
      const r = await verifyCredential(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus });
      expect(r.status).toBe("unknown");
      expect(r.verified).toBe(false);
      expect(r.checks.find((c) => c.name === "status")?.ok).toBe(false);
      expect(r.checks.find((c) => c.name === "signature")?.ok).toBe(true);
    });
  }

  it("is unknown when the status list is signed by another issuer", async () => {
    const issuer = await makeIssuer();
    const other = await makeIssuer("other");
    const { jwt } = await issue(issuer);
    const keys = (did: string) => issuer.resolveIssuerKeys(did) ?? other.resolveIssuerKeys(did);
    const r = await verifyCredential(jwt, {
      resolveIssuerKeys: keys,
      resolveStatus: createStatusResolver(async () => signedList(other, [42]), { resolveIssuerKeys: keys }),
    });
    expect(r.status).toBe("unknown");
    expect(r.reason).toMatch(/not the credential issuer/);
  });

  it("is unknown when the status list signature does not verify", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const list = await signedList(issuer, [42]);
    const tampered = list.slice(0, -3) + (list.endsWith("AAA") ? "BBB" : "AAA");
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: tampered }));
    expect(r.status).toBe("unknown");
    expect(r.reason).toMatch(/signature/);
  });

  it("is unknown when the issuer's keys cannot be resolved, and skips the status check", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const r = await verifyCredential(jwt, { resolveIssuerKeys: () => null, resolveStatus: () => ({ bitSet: false }) });
    expect(r.status).toBe("unknown");
    expect(r.checks.find((c) => c.name === "key")?.ok).toBe(false);
    expect(names(r)).not.toContain("status");
    expect(r.credential).toBeUndefined();
  });

  it("prefers revoked over expired", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer, { validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z" });
    const r = await verifyCredential(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: true }) });
    expect(r.status).toBe("revoked");
  });
});
