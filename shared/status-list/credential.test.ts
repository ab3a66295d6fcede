import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { createBitstring, setBit } from "./bitstring.ts";
import { buildStatusListCredential, signStatusList } from "./credential.ts";
import { checkStatusEntry, StatusListError, verifyStatusList } from "./verify.ts";
import { buildStatusEntry } from "../credential/build.ts";
import { BASE_URL, makeIssuer, signedList } from "../testing/fixtures.ts";

const LIST = `${BASE_URL}/status/list-1`;

describe("BitstringStatusListCredential", () => {
  it("has the spec's shape: id = list URL, subject <url>#list of type BitstringStatusList", async () => {
    const vc = await buildStatusListCredential({
      listUrl: LIST,
      issuer: "did:web:badges.example.org:issuers:acme",
      bits: createBitstring(),
      validFrom: "2026-01-01T00:00:00Z",
    });
    expect(vc).toEqual({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: LIST,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: "did:web:badges.example.org:issuers:acme",
      validFrom: "2026-01-01T00:00:00Z",
      credentialSubject: {
        id: `${LIST}#list`,
        type: "BitstringStatusList",
        statusPurpose: "revocation",
        encodedList: expect.stringMatching(/^uH4sI/),
      },
    });
  });

  it("signs as a VC-JWT that verifies and answers entries", async () => {
    const issuer = await makeIssuer();
    const jwt = await signedList(issuer, [42]);
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[0]!)));
    expect(header).toEqual({ alg: "ES256", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}` });
    const list = await verifyStatusList(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys });
    expect(list).toMatchObject({ id: LIST, issuerId: issuer.did, statusPurpose: "revocation" });
    expect(checkStatusEntry(buildStatusEntry(LIST, 42), list, issuer.did)).toEqual({ bitSet: true, asOf: list.validFrom });
    expect(checkStatusEntry(buildStatusEntry(LIST, 43), list, issuer.did)).toEqual({ bitSet: false, asOf: list.validFrom });
  });

  it("carries its validity period as validFrom/validUntil and the matching nbf/exp", async () => {
    const issuer = await makeIssuer();
    const jwt = await signStatusList(
      { listUrl: LIST, issuer: issuer.did, bits: createBitstring(), validFrom: "2026-11-29T10:00:00Z", validUntil: "2026-12-06T10:00:00Z" },
      { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk },
    );
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!)));
    expect(payload).toMatchObject({ validFrom: "2026-11-29T10:00:00Z", validUntil: "2026-12-06T10:00:00Z" });
    expect(payload.nbf).toBe(Date.parse("2026-11-29T10:00:00Z") / 1000);
    expect(payload.exp).toBe(Date.parse("2026-12-06T10:00:00Z") / 1000);
    const list = await verifyStatusList(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys, now: Date.parse("2026-12-01T00:00:00Z") });
    expect(list).toMatchObject({ validFrom: "2026-11-29T10:00:00Z", validUntil: "2026-12-06T10:00:00Z" });
  });

  it("refuses entries the list cannot answer", async () => {
    const issuer = await makeIssuer();
    const list = await verifyStatusList(await signedList(issuer), { resolveIssuerKeys: issuer.resolveIssuerKeys });
    expect(() => checkStatusEntry(buildStatusEntry(LIST, 131_072), list, issuer.did)).toThrow(/outside the list/);
    expect(() => checkStatusEntry(buildStatusEntry(`${BASE_URL}/status/list-2`, 1), list, issuer.did)).toThrow(/does not match/);
    expect(() => checkStatusEntry({ ...buildStatusEntry(LIST, 1), statusPurpose: "suspension" }, list, issuer.did)).toThrow(
      /purpose/,
    );
    expect(() => checkStatusEntry(buildStatusEntry(LIST, 1), list, "did:web:other")).toThrow(StatusListError);
  });

  it("rejects lists that are expired, unsigned by the issuer or not status lists", async () => {
    const issuer = await makeIssuer();
    const other = await makeIssuer("other");
    const opts = { resolveIssuerKeys: issuer.resolveIssuerKeys };
    const key = { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk };
    const expired = await signStatusList(
      { listUrl: LIST, issuer: issuer.did, bits: createBitstring(), validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z" },
      key,
    );
    await expect(verifyStatusList(expired, opts)).rejects.toThrow("status list expired at 2021-01-01T00:00:00Z");
    await expect(verifyStatusList(await signedList(other), opts)).rejects.toThrow(/key/);
    await expect(verifyStatusList("garbage", opts)).rejects.toThrow(StatusListError);
  });

  it("rejects a signed list whose encodedList is a zip bomb", async () => {
    const issuer = await makeIssuer();
    const bits = new Uint8Array(64 * 1024 * 1024);
    setBit(bits, 1);
    const jwt = await signStatusList(
      { listUrl: LIST, issuer: issuer.did, bits, validFrom: new Date(Date.now() - 1000) },
      { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk },
    );
    await expect(verifyStatusList(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys })).rejects.toThrow(/inflates beyond/);
  });
});
