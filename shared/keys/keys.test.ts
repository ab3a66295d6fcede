import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { buildDidDocument, buildJwks } from "./did-document.ts";
import { didWebToUrl, issuerDid } from "./did-web.ts";
import { generateIssuerKey } from "./generate.ts";
import { keysFromDocument } from "./lookup.ts";

describe("did:web identifiers", () => {
  it("builds issuer DIDs, encoding the port colon as %3A", () => {
    expect(issuerDid("https://badges.example.org", "acme")).toBe("did:web:badges.example.org:issuers:acme");
    expect(issuerDid("http://127.0.0.1:8787", "demo")).toBe("did:web:127.0.0.1%3A8787:issuers:demo");
    expect(issuerDid("https://example.org/laurel/", "acme")).toBe("did:web:example.org:laurel:issuers:acme");
    expect(() => issuerDid("https://example.org", "../etc")).toThrow(TypeError);
  });

  it("maps DIDs back to their did.json URL (https, http only for localhost)", () => {
    expect(didWebToUrl("did:web:badges.example.org:issuers:acme")).toBe("https://badges.example.org/issuers/acme/did.json");
    expect(didWebToUrl("did:web:127.0.0.1%3A8787:issuers:demo")).toBe("http://127.0.0.1:8787/issuers/demo/did.json");
    expect(didWebToUrl("did:web:localhost%3A8787:issuers:demo#key-1")).toBe("http://localhost:8787/issuers/demo/did.json");
    expect(didWebToUrl("did:web:example.com")).toBe("https://example.com/.well-known/did.json");
    expect(didWebToUrl("did:web:evil.example%3A443:issuers:a")).toBe("https://evil.example/issuers/a/did.json");
  });

  it("round-trips issuerDid through didWebToUrl to the contract's did.json location", () => {
    const did = issuerDid("http://localhost:8787", "demo");
    expect(didWebToUrl(did)).toBe("http://localhost:8787/issuers/demo/did.json");
  });

  it("refuses malformed or non-web DIDs", () => {
    for (const bad of ["did:key:z6Mk", "did:web:", "did:web:a b", "did:web:example.com:..:x", "did:web:ex%2Fample.com", "https://x", "did:web:x:%E0%A4%A"]) {
      expect(didWebToUrl(bad), bad).toBeNull();
    }
  });
});

describe("issuer keys, DID documents and JWKS", () => {
  it("generates extractable ES256 keys with a thumbprint key id", async () => {
    const key = await generateIssuerKey();
    expect(key.alg).toBe("ES256");
    expect(key.privateJwk).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: key.keyId });
    expect(typeof key.privateJwk.d).toBe("string");
    expect(key.publicJwk.d).toBeUndefined();
    expect(key.keyId).toBe(await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: key.publicJwk.x, y: key.publicJwk.y }));
    const ed = await generateIssuerKey({ alg: "EdDSA", keyId: "k2" });
    expect(ed.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "k2", alg: "EdDSA" });
  });

  it("publishes every key as JsonWebKey2020 in assertionMethod, and in the JWKS", async () => {
    const did = "did:web:badges.example.org:issuers:acme";
    const [k1, k2] = await Promise.all([generateIssuerKey({ keyId: "k1" }), generateIssuerKey({ alg: "EdDSA", keyId: "k2" })]);
    const doc = buildDidDocument(did, [k1!.publicJwk, k2!.publicJwk]);
    expect(doc["@context"]).toEqual(["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]);
    expect(doc.id).toBe(did);
    expect(doc.verificationMethod.map((m) => [m.id, m.type, m.controller])).toEqual([
      [`${did}#k1`, "JsonWebKey2020", did],
      [`${did}#k2`, "JsonWebKey2020", did],
    ]);
    expect(doc.assertionMethod).toEqual([`${did}#k1`, `${did}#k2`]);
    expect(JSON.stringify(doc)).not.toContain('"d"');
    const jwks = buildJwks(did, [k1!.publicJwk, k2!.publicJwk]);
    expect(jwks.keys.map((k) => k.kid)).toEqual([`${did}#k1`, `${did}#k2`]);
    expect(jwks.keys.every((k) => k.use === "sig" && k.d === undefined)).toBe(true);

    expect(keysFromDocument(doc).map((k) => k.kid)).toEqual([`${did}#k1`, `${did}#k2`]);
    expect(keysFromDocument(jwks, did).map((k) => [k.kid, k.x])).toEqual([
      [`${did}#k1`, k1!.publicJwk.x],
      [`${did}#k2`, k2!.publicJwk.x],
    ]);
    expect(keysFromDocument(doc, "did:web:other")).toEqual([]);
    expect(keysFromDocument(jwks, "did:web:other")).toEqual([]);
  });

  it("lists Ed25519 Data Integrity keys as Multikey methods in assertionMethod, with the multikey context", async () => {
    const did = "did:web:badges.example.org:issuers:acme";
    const k1 = await generateIssuerKey({ keyId: "k1" });
    const multibase = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const doc = buildDidDocument(did, [k1.publicJwk], [multibase]);
    expect(doc["@context"]).toEqual([
      "https://www.w3.org/ns/did/v1",
      "https://w3id.org/security/suites/jws-2020/v1",
      "https://w3id.org/security/multikey/v1",
    ]);
    expect(doc.verificationMethod[1]).toEqual({ id: `${did}#${multibase}`, type: "Multikey", controller: did, publicKeyMultibase: multibase });
    expect(doc.assertionMethod).toEqual([`${did}#k1`, `${did}#${multibase}`]);
    // Key lookup reads both: the JsonWebKey2020 method and the Multikey as an OKP JWK (the Data
    // Integrity verifier takes the Ed25519 one named by the proof's verificationMethod).
    expect(keysFromDocument(doc).map((k) => k.kid)).toEqual([`${did}#k1`, `${did}#${multibase}`]);
  });

  it("reads relative method ids and ignores keys outside assertionMethod", async () => {
    const did = "did:web:x.example";
    const k = await generateIssuerKey({ keyId: "a" });
    const doc = {
      id: did,
      verificationMethod: [
        { id: "#a", type: "JsonWebKey2020", controller: did, publicKeyJwk: k.publicJwk },
        { id: "#auth-only", type: "JsonWebKey2020", controller: did, publicKeyJwk: k.publicJwk },
      ],
      assertionMethod: ["#a"],
    };
    expect(keysFromDocument(doc).map((x) => x.kid)).toEqual([`${did}#a`]);
    expect(keysFromDocument(null)).toEqual([]);
    expect(keysFromDocument({ keys: "nope" })).toEqual([]);
    expect(keysFromDocument("did.json")).toEqual([]);
  });
});
