// POST /api/v1/verify with a credential secured by an embedded Data Integrity proof
// (eddsa-rdfc-2022): the hosted issuer's Ed25519 Multikey from its did.json projection, status from
// the same lists as VC-JWTs, and the result names the proof checked.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { generateEd25519Jwk, publicKeyMultibase, signDataIntegrity } from "../../shared/data-integrity/index.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { call, putIssuer, seedWorld, type Issued, type Issuer } from "../test/fixtures.ts";

let ip = 0;
function post(body: string, contentType: string): Promise<Response> {
  return call("/api/v1/verify", { method: "POST", body, headers: { "content-type": contentType, "cf-connecting-ip": `198.51.100.${200 + ++ip}` } });
}

/** Publishes an Ed25519 Multikey for `issuer` (a new projection version) and secures `issued` with it. */
async function secureWithDataIntegrity(issuer: Issuer, issued: Issued) {
  const privateJwk = await generateEd25519Jwk();
  const verificationMethod = `${issuer.did}#key-ed-1`;
  const doc = issuer.projection.didDocument as { verificationMethod: unknown[]; assertionMethod: string[] };
  issuer.projection = {
    ...issuer.projection,
    didDocument: {
      ...doc,
      verificationMethod: [...doc.verificationMethod, { id: verificationMethod, type: "Multikey", controller: issuer.did, publicKeyMultibase: publicKeyMultibase(privateJwk) }],
      assertionMethod: [...doc.assertionMethod, verificationMethod],
    },
    version: issuer.projection.version + 1,
  };
  await putIssuer(issuer);
  const { iss: _i, jti: _j, sub: _s, nbf: _n, exp: _e, iat: _a, ...credential } = decodeJwt(issued.jwt);
  return signDataIntegrity(credential, { privateJwk, verificationMethod });
}

describe("POST /api/v1/verify, Data Integrity", () => {
  it("verifies a credential sent as application/vc+ld+json, application/ld+json and application/json", async () => {
    const { issuer, creds } = await seedWorld();
    const secured = await secureWithDataIntegrity(issuer, creds[0]!);
    for (const type of ["application/vc+ld+json", "application/ld+json", "application/json"]) {
      const res = await post(JSON.stringify(secured), type);
      expect(res.status, type).toBe(200);
      const body: VerificationResult = await res.json();
      expect(body, type).toMatchObject({ verified: true, status: "valid", proof: "data-integrity", credential: { id: `urn:uuid:${creds[0]!.id}` } });
    }
    const jwt: VerificationResult = await (await post(creds[0]!.jwt, "text/plain")).json();
    expect(jwt).toMatchObject({ status: "valid", proof: "vc-jwt" });
  });

  it("reports revocation, and a changed credential as invalid", async () => {
    const { issuer, creds } = await seedWorld({ revoked: { 0: "Duplicate award" } });
    const secured = await secureWithDataIntegrity(issuer, creds[0]!);
    expect(await (await post(JSON.stringify(secured), "application/vc+ld+json")).json()).toMatchObject({ status: "revoked", reason: "Duplicate award", proof: "data-integrity" });
    const tampered = { ...secured, name: "Something else" };
    const body: VerificationResult = await (await post(JSON.stringify(tampered), "application/vc+ld+json")).json();
    expect(body).toMatchObject({ verified: false, status: "invalid", proof: "data-integrity" });
    expect(body.checks.find((c) => c.name === "signature")).toMatchObject({ ok: false });
  });

  it("answers 400 naming the rule for a JSON body that is no credential", async () => {
    const res = await post(JSON.stringify({ id: "urn:uuid:1" }), "application/vc+ld+json");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "UNSUPPORTED_INPUT", errors: [{ field: "body", rule: "unsupported_input" }] });
  });
});
