// Status lists from other issuers' software (no `sub`) and how fresh a status answer is: an expired
// list answers nothing (`unknown`), and a valid result says when its list was signed.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { buildStatusEntry } from "../credential/build.ts";
import { assertStatusListCurrent, checkStatusEntry, StatusListError, verifyStatusList } from "../status-list/verify.ts";
import { BASE_URL, issue, makeIssuer, optionsFor, type TestIssuer } from "../testing/fixtures.ts";
import { signListJwt, type ListJwtInput } from "../testing/status-list-jwts.ts";
import { statusAsOf } from "./status-detail.ts";
import { verifyCredential } from "./verify-credential.ts";

const LIST = `${BASE_URL}/status/list-1`; // the fixtures' credentials point at index 42 of it
const HOUR = 3600_000;

function listOf(issuer: TestIssuer, over: Partial<ListJwtInput> = {}): Promise<string> {
  return signListJwt({ listUrl: LIST, issuerDid: issuer.did, key: issuer.key, ...over });
}

describe("a status list without `sub`", () => {
  it("answers: valid when the bit is clear, revoked when it is set", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const clean = await listOf(issuer, { withSub: false, revoked: [41, 43] });
    const revoked = await listOf(issuer, { withSub: false, revoked: [42] });
    expect(decodeJwt(clean)).not.toHaveProperty("sub");

    const ok = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: clean }));
    expect(ok).toMatchObject({ verified: true, status: "valid" });
    const bad = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: revoked }));
    expect(bad).toMatchObject({ verified: false, status: "revoked", reason: "revoked by the issuer" });
  });

  it("is still refused when a `sub` is present and differs from credentialSubject.id", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const wrong = await listOf(issuer, { sub: `${BASE_URL}/status/other#list` });
    await expect(verifyStatusList(wrong, { resolveIssuerKeys: issuer.resolveIssuerKeys })).rejects.toThrow(/sub must equal/);
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: wrong }));
    expect(r.status).toBe("unknown");
    expect(r.reason).toMatch(/claims: sub must equal credentialSubject.id/);
  });
});

describe("status list freshness", () => {
  it("an expired list gives `unknown` with 'status list expired at <validUntil>', even with the bit set", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const validUntil = new Date(Date.now() - 2 * HOUR).toISOString().replace(/\.\d{3}Z$/, "Z");
    for (const revoked of [[], [42]]) {
      const old = await listOf(issuer, { validFrom: new Date(Date.now() - 9 * 24 * HOUR), validUntil, revoked });
      const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: old }));
      expect(r).toMatchObject({ verified: false, status: "unknown", reason: `status list expired at ${validUntil}` });
      expect(r.checks.find((c) => c.name === "status")).toEqual({ name: "status", ok: false, detail: `status list expired at ${validUntil}` });
      expect(r.checks.find((c) => c.name === "signature")?.ok).toBe(true);
    }
  });

  it("a list within its period answers, and the result says when the list was signed", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const validFrom = "2026-11-20T08:30:00Z";
    const list = await listOf(issuer, { validFrom, validUntil: new Date(Date.now() + 7 * 24 * HOUR) });
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: list }));
    expect(r.status).toBe("valid");
    expect(r.checks.find((c) => c.name === "status")?.detail).toBe(`not revoked as of ${validFrom} (${LIST} #42)`);
    expect(statusAsOf(r.checks)).toBe(validFrom);
  });

  it("a verified list kept by a resolver is judged again at each use", async () => {
    const issuer = await makeIssuer();
    const validUntil = "2026-12-01T00:00:00Z";
    const list = await verifyStatusList(await listOf(issuer, { validFrom: "2026-11-24T00:00:00Z", validUntil }), {
      resolveIssuerKeys: issuer.resolveIssuerKeys,
      now: Date.parse("2026-11-25T00:00:00Z"),
    });
    expect(list.validFrom).toBe("2026-11-24T00:00:00Z");
    expect(() => assertStatusListCurrent(list, { now: Date.parse(validUntil) + 30_000 })).not.toThrow(); // within the 60 s tolerance
    expect(() => assertStatusListCurrent(list, { now: Date.parse(validUntil) + 61_000 })).toThrow(StatusListError);
    expect(() => assertStatusListCurrent(list, { now: Date.parse(validUntil) + 61_000 })).toThrow(`status list expired at ${validUntil}`);

    // checkStatusEntry (what every resolver answers with) applies the same rule to a cached list.
    const entry = buildStatusEntry(LIST, 42);
    expect(checkStatusEntry(entry, list, issuer.did, { now: Date.parse("2026-11-30T00:00:00Z") })).toEqual({
      bitSet: false,
      asOf: "2026-11-24T00:00:00Z",
    });
    expect(() => checkStatusEntry(entry, list, issuer.did, { now: Date.parse("2026-12-02T00:00:00Z") })).toThrow(/expired at/);
  });

  it("a list without validUntil never expires (lists signed before validity periods)", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer);
    const r = await verifyCredential(jwt, optionsFor(issuer, { [LIST]: await listOf(issuer, { validFrom: "2020-01-01T00:00:00Z" }) }));
    expect(r.status).toBe("valid");
    expect(statusAsOf(r.checks)).toBe("2020-01-01T00:00:00Z");
  });
});
