// Data Integrity proofs added by the publication consumers, inside workerd with the real libSQL
// server: every credential gets one (kept on republication, re-signed after its key's revocation),
// status lists get a JSON-LD twin, and an org from before Data Integrity gets its Ed25519 key lazily.
import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { verifyDataIntegrity } from "../../../shared/data-integrity/index.ts";
import { kvKeys, type CredentialProofProjection, type IssuerProjection, type StatusListProjection } from "../../../shared/kv-keys.ts";
import { decodeStatusList, getBit } from "../../../shared/status-list/index.ts";
import { credentialJsonOfJwt } from "../../../shared/vc-jwt/credential-json.ts";
import { credentialProofs, signingKeys } from "../../db/schema/index.ts";
import { call, deliver, drain, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { forgetActiveKey } from "../signing/signing-keys.ts";

afterEach(() => reset());

const kv = () => originEnv.PROJECTIONS;

async function issueOne(issuer?: Awaited<ReturnType<typeof newIssuer>>) {
  const i = issuer ?? (await newIssuer());
  const [result] = await issueCredentials(originEnv, {
    org: { id: i.org.id, slug: i.org.slug, name: i.org.name, url: null },
    achievement: i.achievement,
    recipients: [{ name: "Ada Lovelace", email: "ada@example.org" }],
    requestId: "req-test",
  });
  if (!result?.ok) throw new Error("issue failed");
  return { ...i, credential: result };
}

/** Resolves verification methods from the issuer's published DID document (as a verifier would). */
async function resolverFor(slug: string) {
  const issuer = await kv().get<IssuerProjection>(kvKeys.issuer(slug), "json");
  const methods = (issuer?.didDocument.verificationMethod ?? []) as { id: string; type: string; controller: string; publicKeyMultibase?: string }[];
  const assertion = new Set((issuer?.didDocument.assertionMethod ?? []) as string[]);
  return async (vm: string) => {
    const m = methods.find((x) => x.id === vm && x.type === "Multikey" && assertion.has(x.id));
    return m?.publicKeyMultibase ? { publicKeyMultibase: m.publicKeyMultibase, controller: m.controller } : null;
  };
}

const publish = (credentialId: string) => ({ type: "credential.publish" as const, credentialId, requestId: "r" });
const publishIssuer = (orgId: string) => ({ type: "issuer.publish" as const, orgId, requestId: "r" });

async function proofOf(credentialId: string) {
  return (await kv().get<CredentialProofProjection>(kvKeys.credentialProof(credentialId), "json"))?.proof ?? null;
}

// Generous deadlines: JSON-LD canonicalization in workerd on a shared, loaded machine (no timing is asserted).
describe("Data Integrity proofs on credentials", { timeout: 60_000 }, () => {
  it("credential.publish adds an eddsa-rdfc-2022 proof by the issuer's Multikey over the VC-JWT's content; republishing keeps it", async () => {
    const { org, db, credential } = await issueOne();
    const e = testEnv();
    expect(await proofOf(credential.credentialId)).toBeNull(); // not in the request: the consumer adds it
    await deliver(e, [publishIssuer(org.id), publish(credential.credentialId)]);

    const proof = await proofOf(credential.credentialId);
    const did = `did:web:verify.example.test:issuers:${org.slug}`;
    expect(proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    expect(String(proof!.verificationMethod)).toMatch(new RegExp(`^${did.replaceAll(".", "\\.")}#z6Mk`));
    const secured = { ...credentialJsonOfJwt(credential.jwt), proof };
    expect(await verifyDataIntegrity(secured, await resolverFor(org.slug))).toMatchObject({ verified: true });
    // Both proofs secure the same content: a change to it breaks the Data Integrity proof.
    const tampered = { ...secured, name: "Something else" };
    expect(await verifyDataIntegrity(tampered, await resolverFor(org.slug))).toMatchObject({ verified: false });

    const [stored] = await db.select().from(credentialProofs).where(eq(credentialProofs.credentialId, credential.credentialId));
    expect(stored?.proof).toEqual(proof);
    await deliver(e, [publish(credential.credentialId)], 2);
    expect(await proofOf(credential.credentialId)).toEqual(proof); // same `created`: not re-signed
  });

  it("GET /v1/credentials/:id returns the credential JSON, with its proof once published", async () => {
    const { org, credential } = await issueOne();
    const apiKey = org.apiKey;
    const before = (await (await call(originEnv, `/v1/credentials/${credential.credentialId}`, { apiKey })).json()) as { credential: Record<string, unknown> };
    expect(before.credential).toEqual(credentialJsonOfJwt(credential.jwt));
    await deliver(testEnv(), [publish(credential.credentialId)]);
    const after = (await (await call(originEnv, `/v1/credentials/${credential.credentialId}`, { apiKey })).json()) as { credential: Record<string, unknown> };
    expect(after.credential).toEqual({ ...credentialJsonOfJwt(credential.jwt), proof: await proofOf(credential.credentialId) });
  });

  it("an org from before Data Integrity gets its Ed25519 key on first use, published in its did.json first", async () => {
    const issuer = await newIssuer();
    const { org, db } = issuer;
    await db
      .update(signingKeys)
      .set({ diPublicKeyMultibase: null, diPrivateJwkEncrypted: null, diCreatedAt: null })
      .where(eq(signingKeys.orgId, org.id));
    forgetActiveKey(org.id);
    const e = testEnv();
    await deliver(e, [publishIssuer(org.id)]);
    const old = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    expect((old!.didDocument.verificationMethod as { type: string }[]).map((m) => m.type)).toEqual(["JsonWebKey2020"]);

    const { credential } = await issueOne(issuer);
    await deliver(e, [publish(credential.credentialId)]);
    const [row] = await db.select().from(signingKeys).where(eq(signingKeys.orgId, org.id));
    expect(row?.diPublicKeyMultibase).toMatch(/^z6Mk/);
    const published = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    expect(published!.version).toBeGreaterThan(old!.version);
    const secured = { ...credentialJsonOfJwt(credential.jwt), proof: await proofOf(credential.credentialId) };
    expect(await verifyDataIntegrity(secured, await resolverFor(org.slug))).toMatchObject({ verified: true });
  });

  it("revoking the key pair (named by its Ed25519 key) re-signs the proofs with the new active key", async () => {
    const { org, credential } = await issueOne();
    const e = testEnv();
    await deliver(e, [publishIssuer(org.id), publish(credential.credentialId)]);
    const first = await proofOf(credential.credentialId);
    const multibase = String(first!.verificationMethod).split("#")[1]!;

    const res = await call(e, `/v1/keys/${multibase}/revoke`, {
      method: "POST",
      apiKey: org.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "leaked" }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "revoked", dataIntegrity: { publicKeyMultibase: multibase } });
    await drain(e);

    const second = await proofOf(credential.credentialId);
    expect(second!.verificationMethod).not.toBe(first!.verificationMethod);
    const issuer = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    expect(issuer!.revokedKeys?.map((k) => k.kid)).toContain(first!.verificationMethod);
    const resolve = await resolverFor(org.slug);
    const credentialJson = credentialJsonOfJwt((await (await call(e, `/v1/credentials/${credential.credentialId}`, { apiKey: org.apiKey })).json() as { jwt: string }).jwt);
    expect(await verifyDataIntegrity({ ...credentialJson, proof: second }, resolve)).toMatchObject({ verified: true });
    expect(await verifyDataIntegrity({ ...credentialJson, proof: first }, resolve)).toMatchObject({ verified: false });
  });
});

describe("Data Integrity status lists", { timeout: 60_000 }, () => {
  it("status-list.publish also signs the JSON-LD list with the same bits", async () => {
    const { org, db, credential } = await issueOne();
    await revokeCredential(db, org.id, credential.credentialId, "Issued in error");
    await deliver(testEnv(), [publishIssuer(org.id), { type: "status-list.publish", statusListId: credential.statusListId, requestId: "r" }]);
    const stored = await kv().get<StatusListProjection>(kvKeys.statusList(credential.statusListId), "json");
    const list = JSON.parse(stored!.dataIntegrity!) as { id: string; type: string[]; credentialSubject: { encodedList: string }; proof: Record<string, unknown> };
    expect(list.id).toBe(`https://verify.example.test/status/${credential.statusListId}`);
    expect(list.type).toEqual(["VerifiableCredential", "BitstringStatusListCredential"]);
    expect(list.proof).toMatchObject({ cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    expect(await verifyDataIntegrity(list, await resolverFor(org.slug))).toMatchObject({ verified: true });
    const bits = await decodeStatusList(list.credentialSubject.encodedList);
    expect(getBit(bits, credential.statusIndex)).toBe(true);
  });
});
