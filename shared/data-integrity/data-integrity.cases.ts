// Data Integrity checks run in Node (data-integrity.test.ts) and inside workerd
// (data-integrity.workers.test.ts): the W3C test vector, a Laurel credential, and the failures.
import { expect } from "vitest";
import { buildCredential } from "../credential/build.ts";
import { credentialInput, makeIssuer } from "../testing/fixtures.ts";
import { BUNDLED_CONTEXTS, staticDocumentLoader } from "./document-loader.ts";
import { privateJwkFromMultibase } from "./ed25519.ts";
import { hashData, type ProofOptions } from "./eddsa-rdfc-2022.ts";
import { generateEd25519Jwk, publicKeyMultibase, signDataIntegrity, verifyDataIntegrity } from "./index.ts";
import keyPair from "./fixtures/w3c-eddsa-rdfc-2022/keyPair.json" with { type: "json" };
import unsigned from "./fixtures/w3c-eddsa-rdfc-2022/unsigned.json" with { type: "json" };
import proofConfig from "./fixtures/w3c-eddsa-rdfc-2022/proofConfigDataInt.json" with { type: "json" };
import signed from "./fixtures/w3c-eddsa-rdfc-2022/signedDataInt.json" with { type: "json" };
import examplesContext from "./fixtures/w3c-eddsa-rdfc-2022/examples-v2-context.json" with { type: "json" };
import canonDoc from "./fixtures/w3c-eddsa-rdfc-2022/canonDocDataInt.txt?raw";
import docHash from "./fixtures/w3c-eddsa-rdfc-2022/docHashDataInt.txt?raw";
import proofCanon from "./fixtures/w3c-eddsa-rdfc-2022/proofCanonDataInt.txt?raw";
import proofHash from "./fixtures/w3c-eddsa-rdfc-2022/proofHashDataInt.txt?raw";
import combinedHash from "./fixtures/w3c-eddsa-rdfc-2022/combinedHashDataInt.txt?raw";
import sigBase58 from "./fixtures/w3c-eddsa-rdfc-2022/sigBTC58DataInt.txt?raw";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The bundled contexts plus the W3C examples context the vector uses. */
const vectorLoader = staticDocumentLoader(new Map([...BUNDLED_CONTEXTS, ["https://www.w3.org/ns/credentials/examples/v2", examplesContext]]));
const vectorKey = keyPair.publicKeyMultibase;
const resolveVectorKey = async (vm: string) => (vm === proofConfig.verificationMethod ? { publicKeyMultibase: vectorKey, controller: vm.split("#")[0]! } : null);

export async function reproducesTheW3cVector(): Promise<void> {
  const { "@context": _c, ...options } = proofConfig;
  const steps = await hashData(unsigned, options as ProofOptions, vectorLoader);
  expect(steps.canonicalDocument).toBe(canonDoc);
  expect(hex(steps.documentHash)).toBe(docHash.trim());
  expect(steps.canonicalProofConfig).toBe(proofCanon);
  expect(hex(steps.proofConfigHash)).toBe(proofHash.trim());
  expect(hex(steps.hashData)).toBe(combinedHash.trim());

  const privateJwk = await privateJwkFromMultibase(keyPair.privateKeyMultibase, keyPair.publicKeyMultibase);
  expect(publicKeyMultibase(privateJwk)).toBe(keyPair.publicKeyMultibase);
  const mine = await signDataIntegrity(unsigned, { privateJwk, verificationMethod: proofConfig.verificationMethod }, { created: proofConfig.created, documentLoader: vectorLoader });
  expect(mine.proof.proofValue).toBe(sigBase58.trim());
  // Byte for byte, member order included.
  expect(JSON.stringify(mine)).toBe(JSON.stringify(signed));

  expect(await verifyDataIntegrity(signed, resolveVectorKey, { documentLoader: vectorLoader })).toEqual({
    verified: true,
    verificationMethod: proofConfig.verificationMethod,
    controller: proofConfig.verificationMethod.split("#")[0],
    created: proofConfig.created,
  });
}

export async function refusesTamperingAndUnknownContexts(): Promise<void> {
  const tampered = { ...signed, credentialSubject: { ...signed.credentialSubject, alumniOf: "Another School" } };
  expect(await verifyDataIntegrity(tampered, resolveVectorKey, { documentLoader: vectorLoader })).toMatchObject({ verified: false, code: "invalid_signature" });
  // Without the examples context (Laurel's own loader) the vector's document is refused, never fetched.
  expect(await verifyDataIntegrity(signed, resolveVectorKey)).toMatchObject({ verified: false, code: "unknown_context", error: expect.stringContaining("credentials/examples/v2") });
  const wrongKey = await generateEd25519Jwk();
  const otherKey = async () => ({ publicKeyMultibase: publicKeyMultibase(wrongKey), controller: "did:key:x" });
  expect(await verifyDataIntegrity(signed, otherKey, { documentLoader: vectorLoader })).toMatchObject({ verified: false, code: "invalid_signature" });
  expect(await verifyDataIntegrity(signed, async () => null, { documentLoader: vectorLoader })).toMatchObject({ verified: false, code: "key_not_found" });
  const badProofs: [unknown, string][] = [
    [undefined, "malformed_proof"],
    ["z123", "malformed_proof"],
    [{ ...signed.proof, cryptosuite: "eddsa-jcs-2022" }, "unsupported_cryptosuite"],
    [{ ...signed.proof, type: "Ed25519Signature2020" }, "unsupported_cryptosuite"],
    [{ ...signed.proof, proofPurpose: "authentication" }, "malformed_proof"],
    [{ ...signed.proof, proofValue: "u" + signed.proof.proofValue.slice(1) }, "malformed_proof"],
    [{ ...signed.proof, proofValue: "z" + "1".repeat(5000) }, "malformed_proof"],
    [{ ...signed.proof, created: "yesterday" }, "malformed_proof"],
    [[signed.proof, signed.proof], "malformed_proof"],
  ];
  for (const [proof, code] of badProofs) {
    const doc = { ...signed, proof };
    expect(await verifyDataIntegrity(doc, resolveVectorKey, { documentLoader: vectorLoader }), JSON.stringify(proof)?.slice(0, 80)).toMatchObject({ verified: false, code });
  }
  // A term no context defines would be left out of the signed quads: safe mode refuses it.
  const undefinedTerm = { ...unsigned, "@context": ["https://www.w3.org/ns/credentials/v2"], notDefined: "x" };
  const privateJwk = await generateEd25519Jwk();
  await expect(signDataIntegrity(undefinedTerm, { privateJwk, verificationMethod: "did:web:a.example#k" })).rejects.toMatchObject({ code: "canonicalization_failed" });
}

export async function signsAndVerifiesALaurelCredential(): Promise<void> {
  const issuer = await makeIssuer("acme");
  const credential = await buildCredential(credentialInput(issuer));
  const privateJwk = await generateEd25519Jwk();
  const verificationMethod = `${issuer.did}#key-ed-1`;
  const secured = await signDataIntegrity(credential, { privateJwk, verificationMethod });
  expect(secured.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod });
  expect(secured.proof.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const resolve = async (vm: string) => (vm === verificationMethod ? { publicKeyMultibase: publicKeyMultibase(privateJwk), controller: issuer.did } : null);
  expect(await verifyDataIntegrity(JSON.parse(JSON.stringify(secured)), resolve)).toMatchObject({ verified: true, verificationMethod, controller: issuer.did });
  const renamed = { ...secured, credentialSubject: { ...secured.credentialSubject, achievement: { ...secured.credentialSubject.achievement, name: "Advanced Cryptography" } } };
  expect(await verifyDataIntegrity(renamed, resolve)).toMatchObject({ verified: false, code: "invalid_signature" });
}
