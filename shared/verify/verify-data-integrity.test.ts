// Verification of credentials secured with a Data Integrity proof, beside the VC-JWT: the result
// names the proof checked; keys, dates, shape and status follow the same rules as for VC-JWTs.
import { beforeAll, describe, expect, it } from "vitest";
import { bakePng } from "../bake/png.ts";
import { base64url } from "jose";
import { BASE_URL, credentialInput, issue, makeIssuer, signedList } from "../testing/fixtures.ts";
import { dataIntegrityList, dataIntegrityOptions, issueWithDataIntegrity, makeDataIntegrityIssuer, type DataIntegrityIssuer } from "../testing/data-integrity-fixtures.ts";
import { signDataIntegrity, type Ed25519PrivateJwk } from "../data-integrity/index.ts";
import { buildCredential } from "../credential/build.ts";
import { buildDidDocument } from "../keys/did-document.ts";
import { keysFromDocument } from "../keys/lookup.ts";
import { signCredentialJwt } from "../vc-jwt/sign.ts";
import { extractCredentialInput, securedCredentialOf } from "./input.ts";
import { verifyCredential } from "./verify-credential.ts";

const LIST = `${BASE_URL}/status/list-1`;
const PNG_1x1 = base64url.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg");
const names = (checks: { name: string; ok: boolean }[]) => checks.map((c) => `${c.name}:${c.ok ? "ok" : "fail"}`);

let issuer: DataIntegrityIssuer;
beforeAll(async () => {
  issuer = await makeDataIntegrityIssuer("acme");
});

describe("a credential with an eddsa-rdfc-2022 proof", () => {
  it("is valid with a Data Integrity status list, and says which proof it checked", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    const result = await verifyCredential(JSON.parse(JSON.stringify(credential)), dataIntegrityOptions(issuer, { [LIST]: await dataIntegrityList(issuer) }));
    expect(result).toMatchObject({ verified: true, status: "valid", proof: "data-integrity" });
    expect(names(result.checks)).toEqual(["size:ok", "format:ok", "proof:ok", "key:ok", "signature:ok", "valid_from:ok", "valid_until:ok", "shape:ok", "status:ok"]);
    expect(result.credential).toMatchObject({ id: credential.id, issuer: { id: issuer.did }, achievement: { name: "Intro to Cryptography" } });
  });

  it("is revoked by either form of the status list", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    for (const list of [await dataIntegrityList(issuer, [42]), await signedList(issuer, [42])]) {
      const result = await verifyCredential(credential, dataIntegrityOptions(issuer, { [LIST]: list }));
      expect(result).toMatchObject({ verified: false, status: "revoked", proof: "data-integrity" });
    }
  });

  it("is unknown, never valid, when the Data Integrity status list is signed by another key", async () => {
    const other = await makeDataIntegrityIssuer("other");
    const credential = await issueWithDataIntegrity(issuer);
    const forged = await dataIntegrityList({ ...other, did: issuer.did, verificationMethod: issuer.verificationMethod });
    const result = await verifyCredential(credential, dataIntegrityOptions(issuer, { [LIST]: forged }));
    expect(result.status).toBe("unknown");
    expect(result.reason).toMatch(/status list rejected: signature/);
  });

  it("is expired after validUntil and invalid when any signed content changes", async () => {
    const expired = await issueWithDataIntegrity(issuer, { validFrom: new Date(Date.now() - 7200_000), validUntil: new Date(Date.now() - 3600_000) });
    expect((await verifyCredential(expired, dataIntegrityOptions(issuer, { [LIST]: await dataIntegrityList(issuer) }))).status).toBe("expired");
    const credential = await issueWithDataIntegrity(issuer);
    const tampered = { ...credential, validFrom: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, "Z") };
    const result = await verifyCredential(tampered, dataIntegrityOptions(issuer));
    expect(result).toMatchObject({ verified: false, status: "invalid", proof: "data-integrity" });
    expect(result.checks.find((c) => c.name === "signature")).toMatchObject({ ok: false, detail: expect.stringContaining("invalid_signature") });
    expect(result.credential).toBeUndefined();
  });

  it("is invalid when the key is not the issuer's assertion key, or names another issuer", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    const other = await makeDataIntegrityIssuer("other");
    const { proof: _p, ...unsigned } = credential;
    const wrongVm = await signDataIntegrity(unsigned, { privateJwk: issuer.edKey, verificationMethod: `${issuer.did}#key-ed-9` });
    expect((await verifyCredential(wrongVm, dataIntegrityOptions(issuer))).checks.find((c) => c.name === "key")).toMatchObject({ ok: false, detail: expect.stringContaining("not among the issuer's assertion keys") });
    const foreign = await signDataIntegrity(unsigned, { privateJwk: other.edKey, verificationMethod: other.verificationMethod });
    const result = await verifyCredential(foreign, dataIntegrityOptions(issuer));
    expect(result.status).toBe("invalid");
    expect(result.checks.find((c) => c.name === "key")?.detail).toMatch(/is not a key of issuer/);
    // The VC-JWT key (ES256) is no Data Integrity key: refused as no Multikey before its type is looked at.
    const es256 = await signDataIntegrity(unsigned, { privateJwk: issuer.edKey, verificationMethod: issuer.key.keyId.includes("#") ? issuer.key.keyId : `${issuer.did}#${issuer.key.keyId}` });
    expect((await verifyCredential(es256, dataIntegrityOptions(issuer))).checks.find((c) => c.name === "key")?.detail).toMatch(/not a Multikey/);
  });

  it("is unknown when the issuer's keys cannot be resolved", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    const result = await verifyCredential(credential, { resolveIssuerKeys: () => null });
    expect(result).toMatchObject({ verified: false, status: "unknown", proof: "data-integrity" });
  });

  it("refuses malformed proofs, unknown contexts and oversized credentials by name", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    const badSuite = await verifyCredential({ ...credential, proof: { ...credential.proof, cryptosuite: "ecdsa-rdfc-2019" } }, dataIntegrityOptions(issuer));
    expect(badSuite.checks.find((c) => c.name === "proof")).toMatchObject({ ok: false, detail: expect.stringContaining("eddsa-rdfc-2022") });
    const foreignContext = await verifyCredential({ ...credential, "@context": [...credential["@context"], "https://evil.example/context.json"] }, dataIntegrityOptions(issuer));
    expect(foreignContext.status).toBe("invalid");
    expect(foreignContext.checks.find((c) => c.name === "signature")?.detail).toMatch(/evil\.example.*unknown_context/);
    const huge = await verifyCredential({ ...credential, description: "x".repeat(70_000) }, dataIntegrityOptions(issuer));
    expect(huge.checks[0]).toMatchObject({ name: "size", ok: false });
  });
});

describe("inputs carrying a Data Integrity credential", () => {
  it("accepts the JSON, the wrapped JSON and a baked PNG, and keeps the VC-JWT path (proof: vc-jwt)", async () => {
    const credential = await issueWithDataIntegrity(issuer);
    const text = JSON.stringify(credential);
    const opts = dataIntegrityOptions(issuer, { [LIST]: await dataIntegrityList(issuer) });
    for (const input of [text, JSON.stringify({ credential }), bakePng(PNG_1x1, text)]) {
      const extracted = extractCredentialInput(input);
      if (!extracted.ok) throw new Error(extracted.message);
      expect(extracted).toMatchObject({ credential: { id: credential.id } });
      expect(await verifyCredential(securedCredentialOf(extracted), opts)).toMatchObject({ status: "valid", proof: "data-integrity" });
    }
    const { jwt } = await issue(issuer);
    expect(await verifyCredential(jwt, dataIntegrityOptions(issuer, { [LIST]: await signedList(issuer) }))).toMatchObject({ status: "valid", proof: "vc-jwt" });
    expect(extractCredentialInput(JSON.stringify({ id: "x" }))).toMatchObject({ ok: false, code: "UNSUPPORTED_INPUT" });
  });
});

describe("each issuer key has one use: VC-JWT keys sign JWTs, Multikeys sign Data Integrity proofs", () => {
  it("an EdDSA VC-JWT signed with the issuer's Data Integrity key (kid = its Multikey method) is invalid", async () => {
    const credential = await buildCredential(credentialInput(issuer));
    const keyId = issuer.verificationMethod.slice(issuer.did.length + 1);
    const jwt = await signCredentialJwt(credential, { keyId, privateKey: issuer.edKey, alg: "EdDSA" });
    const result = await verifyCredential(jwt, dataIntegrityOptions(issuer, { [LIST]: await signedList(issuer) }));
    expect(result).toMatchObject({ verified: false, status: "invalid", proof: "vc-jwt" });
    expect(result.checks.find((c) => c.name === "key")).toMatchObject({ ok: false, detail: expect.stringContaining("Multikey") });
  });

  it("a Data Integrity proof by the issuer's Ed25519 VC-JWT key (its JsonWebKey2020 method) is invalid", async () => {
    const jwtIssuer = await makeIssuer("ed-jwt", "EdDSA");
    const keys = keysFromDocument(buildDidDocument(jwtIssuer.did, [jwtIssuer.key.publicJwk]), jwtIssuer.did);
    expect(keys.length).toBe(1);
    const credential = await buildCredential(credentialInput(jwtIssuer));
    const secured = await signDataIntegrity(credential, { privateJwk: jwtIssuer.key.privateJwk as Ed25519PrivateJwk, verificationMethod: keys[0]!.kid! });
    const result = await verifyCredential(secured, { resolveIssuerKeys: (d) => (d === jwtIssuer.did ? keys : null), resolveStatus: () => ({ bitSet: false }) });
    expect(result).toMatchObject({ verified: false, status: "invalid", proof: "data-integrity" });
    expect(result.checks.find((c) => c.name === "key")).toMatchObject({ ok: false, detail: expect.stringContaining("not a Multikey") });
  });
});
