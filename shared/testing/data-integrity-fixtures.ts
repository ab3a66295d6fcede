// Test fixtures for Data Integrity: an issuer whose DID document lists its VC-JWT key and an
// Ed25519 Multikey, credentials and status lists secured with eddsa-rdfc-2022. Test-only.
import { buildCredential, type BuildCredentialInput } from "../credential/build.ts";
import type { OpenBadgeCredential } from "../credential/types.ts";
import { generateEd25519Jwk, publicKeyMultibase, signDataIntegrity, type DataIntegrityProof, type Ed25519PrivateJwk } from "../data-integrity/index.ts";
import { buildDidDocument } from "../keys/did-document.ts";
import { keysFromDocument } from "../keys/lookup.ts";
import { createBitstring, setBit } from "../status-list/bitstring.ts";
import { buildStatusListCredential } from "../status-list/credential.ts";
import { createStatusResolver } from "../verify/status.ts";
import type { VerifyCredentialOptions } from "../verify/types.ts";
import { BASE_URL, credentialInput, makeIssuer, type TestIssuer } from "./fixtures.ts";

/** A TestIssuer that also holds an Ed25519 key, published in its DID document as a Multikey. */
export interface DataIntegrityIssuer extends TestIssuer {
  edKey: Ed25519PrivateJwk;
  verificationMethod: string;
  didDocument: Record<string, unknown>;
}

export async function makeDataIntegrityIssuer(slug = "acme"): Promise<DataIntegrityIssuer> {
  const base = await makeIssuer(slug);
  const edKey = await generateEd25519Jwk();
  const verificationMethod = `${base.did}#key-ed-1`;
  const doc = buildDidDocument(base.did, [base.key.publicJwk]);
  const didDocument = {
    ...doc,
    "@context": [...doc["@context"], "https://w3id.org/security/multikey/v1"],
    verificationMethod: [
      ...doc.verificationMethod,
      { id: verificationMethod, type: "Multikey", controller: base.did, publicKeyMultibase: publicKeyMultibase(edKey) },
    ],
    assertionMethod: [...doc.assertionMethod, verificationMethod],
  };
  // Keys come out of the DID document as a verifier reads them (shared/keys/lookup.ts).
  const keys = keysFromDocument(didDocument, base.did);
  return { ...base, edKey, verificationMethod, didDocument, resolveIssuerKeys: (d) => (d === base.did ? keys : null) };
}

/** A credential of `issuer` with an eddsa-rdfc-2022 proof. */
export async function issueWithDataIntegrity(
  issuer: DataIntegrityIssuer,
  over: Partial<BuildCredentialInput> = {},
): Promise<OpenBadgeCredential & { proof: DataIntegrityProof }> {
  const credential = await buildCredential(credentialInput(issuer, over));
  return signDataIntegrity(credential, { privateJwk: issuer.edKey, verificationMethod: issuer.verificationMethod });
}

/** `list-1` of `issuer` as JSON-LD text with an eddsa-rdfc-2022 proof, the given indexes revoked. */
export async function dataIntegrityList(issuer: DataIntegrityIssuer, revoked: number[] = [], listUrl = `${BASE_URL}/status/list-1`): Promise<string> {
  const bits = createBitstring();
  for (const i of revoked) setBit(bits, i);
  const vc = await buildStatusListCredential({ listUrl, issuer: issuer.did, bits, validFrom: new Date(Date.now() - 3600_000) });
  return JSON.stringify(await signDataIntegrity(vc, { privateJwk: issuer.edKey, verificationMethod: issuer.verificationMethod }));
}

/** Verifier options with `issuer`'s keys and the given status list texts (JWT or JSON-LD) by URL. */
export function dataIntegrityOptions(issuer: DataIntegrityIssuer, lists: Record<string, string> = {}): VerifyCredentialOptions {
  return {
    resolveIssuerKeys: issuer.resolveIssuerKeys,
    resolveStatus: createStatusResolver((url) => lists[url] ?? null, { resolveIssuerKeys: issuer.resolveIssuerKeys }),
  };
}
