// Independent verifier: credentials signed here must verify with did-jwt-vc + did-resolver,
// resolving our did:web DID document from memory.
import { Resolver } from "did-resolver";
import { verifyCredential as didJwtVerifyCredential } from "did-jwt-vc";
import { describe, expect, it } from "vitest";
import { buildDidDocument } from "../keys/did-document.ts";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";

function resolverFor(issuer: TestIssuer): Resolver {
  const didDocument = buildDidDocument(issuer.did, [issuer.key.publicJwk]);
  return new Resolver({
    web: async (did) =>
      did === issuer.did
        ? { didResolutionMetadata: { contentType: "application/did+json" }, didDocument, didDocumentMetadata: {} }
        : { didResolutionMetadata: { error: "notFound" }, didDocument: null, didDocumentMetadata: {} },
  } as ConstructorParameters<typeof Resolver>[0]);
}

// did-jwt-vc's data-model check only knows the VC 1.1 context, so `format: false` turns that off;
// signature, key binding through the DID document, nbf and exp are still checked by did-jwt.
const policies = { policies: { format: false } };

describe("did-jwt-vc verifies Laurel credentials", () => {
  for (const alg of ["ES256", "EdDSA"] as const) {
    it(`accepts an ${alg} credential and resolves the signer through the DID document`, async () => {
      const issuer = await makeIssuer(`interop-${alg.toLowerCase()}`, alg);
      const { credential, jwt } = await issue(issuer, { validUntil: new Date(Date.now() + 86400_000) });
      const verified = await didJwtVerifyCredential(jwt, resolverFor(issuer), policies);
      expect(verified.verified).toBe(true);
      expect(verified.issuer).toBe(issuer.did);
      expect(verified.signer.id).toBe(`${issuer.did}#${issuer.key.keyId}`);
      expect(verified.payload.jti).toBe(credential.id);
      expect(verified.payload.sub).toBe(credential.credentialSubject.id);
    });
  }

  it("rejects the same credential once tampered (so the test can fail)", async () => {
    const issuer = await makeIssuer("interop-tamper");
    const { jwt } = await issue(issuer);
    const [h, p, s] = jwt.split(".");
    const tampered = `${h}.${p!.slice(0, -4)}${p!.endsWith("AAAA") ? "BBBB" : "AAAA"}.${s}`;
    await expect(didJwtVerifyCredential(tampered, resolverFor(issuer), policies)).rejects.toThrow();
  });

  it("rejects a credential signed by a key that is not in the DID document", async () => {
    const issuer = await makeIssuer("interop-a");
    const stranger = await makeIssuer("interop-a");
    const { jwt } = await issue(stranger);
    await expect(didJwtVerifyCredential(jwt, resolverFor(issuer), policies)).rejects.toThrow(/signature|key/i);
  });
});
