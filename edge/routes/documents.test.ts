// The credential's documents and images, issuer documents, status lists, and the read path's
// behaviour towards the origin: unknown ids are asked once, published data needs no origin.
import { afterEach, describe, expect, it } from "vitest";
import { bakePng, extractFromPng } from "../../shared/bake/png.ts";
import { kvKeys, type CredentialProjection } from "../../shared/kv-keys.ts";
import { fallbackBadge, placeholderPng } from "../services/badge-fallback.ts";
import { buildDidDocument, buildJwks } from "../../shared/keys/did-document.ts";
import { generateIssuerKey } from "../../shared/keys/generate.ts";
import { newCredentialIdInSet, newCredentialSetId } from "../../shared/credential-sets.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { call, issueCredential, origin, putCredential, seedWorld, testEnv } from "../test/fixtures.ts";

afterEach(async () => {
  await origin.testReset();
});

async function originCalls(method: string, key: string): Promise<number> {
  return (await origin.testCalls()).filter((c) => c.method === method && c.key === key).length;
}

describe("credential documents", () => {
  it("serves batch-issued credentials from their credential set; a member the set lacks is read under its own key", async () => {
    const { issuer, listId } = await seedWorld({ revoked: { 3: "Issued in error" } });
    const setId = newCredentialSetId();
    const [a, b, late] = await Promise.all([1, 2, 3].map((index) => issueCredential(issuer, listId, index, { id: newCredentialIdInSet(setId) })));
    await testEnv.PROJECTIONS.put(kvKeys.credentialSet(setId), JSON.stringify({ setId, credentials: [a!.projection, b!.projection] }));
    await putCredential(late!); // e.g. refilled on its own: not in the set's value
    for (const c of [a!, b!, late!]) {
      const res = await call(`/c/${c.id}.jwt`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(c.jwt);
    }
    // Revocation comes from the status list, whatever the set's value says.
    const verified = await (await call(`/api/v1/verify/${late!.id}`)).json<VerificationResult>();
    expect(verified).toMatchObject({ status: "revoked", reason: "Issued in error" });
    expect(await (await call(`/api/v1/verify/${a!.id}`)).json<VerificationResult>()).toMatchObject({ verified: true, status: "valid" });
    // A set id no value exists for, and an id outside any set, go to the origin (then 404).
    expect((await call(`/c/${newCredentialIdInSet(newCredentialSetId())}.jwt`)).status).toBe(404);
    expect((await origin.testCalls()).filter((c) => c.method === "credentialProjection").length).toBe(1);
  });

  it("serves the compact JWT as application/vc+jwt and the credential JSON without JWT claims", async () => {
    const { creds } = await seedWorld();
    const jwtRes = await call(`/c/${creds[0]!.id}.jwt`);
    expect(jwtRes.status).toBe(200);
    expect(jwtRes.headers.get("content-type")).toBe("application/vc+jwt");
    expect(new TextDecoder().decode(await jwtRes.arrayBuffer())).toBe(creds[0]!.jwt);
    expect(jwtRes.headers.get("etag")).toBe('"c1"');

    const jsonRes = await call(`/c/${creds[0]!.id}.json`);
    expect(jsonRes.headers.get("content-type")).toContain("application/json");
    const vc = await jsonRes.json<Record<string, unknown>>();
    expect(vc).toMatchObject({ id: `urn:uuid:${creds[0]!.id}`, type: ["VerifiableCredential", "OpenBadgeCredential"] });
    for (const claim of ["iss", "jti", "sub", "nbf"]) expect(vc).not.toHaveProperty(claim);
    const again = await call(`/c/${creds[0]!.id}.json`, { headers: { "if-none-match": '"c1"' } });
    expect(again.status).toBe(304);
  });

  it("serves the stored badge PNG, immutable when versioned, and a provisional baked badge before it exists", async () => {
    const { creds } = await seedWorld({ count: 2 });
    const stored = await fallbackBadge(creds[0]!.jwt);
    await testEnv.PROJECTIONS.put(kvKeys.badgePng(creds[0]!.id), stored);
    const res = await call(`/c/${creds[0]!.id}/badge.png?v=1`);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(stored);

    const provisional = await call(`/c/${creds[1]!.id}/badge.png`);
    expect(provisional.status).toBe(200);
    expect(provisional.headers.get("x-laurel-badge")).toBe("provisional");
    expect(provisional.headers.get("cache-control")).not.toContain("immutable");
    expect(extractFromPng(new Uint8Array(await provisional.arrayBuffer()))).toBe(creds[1]!.jwt);
  });

  it("bakes the JWT into the achievement's badge image when the credential has no baked badge (batch issuance)", async () => {
    const { creds } = await seedWorld({ count: 1 });
    const projection = await testEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(creds[0]!.id), "json");
    const base = await placeholderPng();
    await testEnv.PROJECTIONS.put(kvKeys.achievementBadgePng(projection!.achievement.id), base);
    const res = await call(`/c/${creds[0]!.id}/badge.png?v=${projection!.version}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-laurel-badge")).toBeNull();
    expect(res.headers.get("etag")).toBe(`"b${projection!.version}"`);
    expect(res.headers.get("cache-control")).toContain("immutable");
    const png = new Uint8Array(await res.arrayBuffer());
    expect(png).toEqual(bakePng(base, creds[0]!.jwt)); // the bytes the origin would have written
    expect(extractFromPng(png)).toBe(creds[0]!.jwt);
    expect(await originCalls("credentialProjection", creds[0]!.id)).toBe(0);
  });

  it("serves the card from KV, else asks the origin to render it once and caches it", async () => {
    const { creds } = await seedWorld({ count: 2 });
    const png = Array.from(await fallbackBadge("a.b.c"));
    await testEnv.PROJECTIONS.put(kvKeys.cardPng(creds[0]!.id), new Uint8Array(png));
    expect((await call(`/c/${creds[0]!.id}/card.png`)).headers.get("content-type")).toBe("image/png");
    expect(await originCalls("renderCard", creds[0]!.id)).toBe(0);

    await origin.testSeed({ cards: { [creds[1]!.id]: png } });
    for (let i = 0; i < 3; i++) {
      const res = await call(`/c/${creds[1]!.id}/card.png`);
      expect(res.status).toBe(200);
      expect(Array.from(new Uint8Array(await res.arrayBuffer()))).toEqual(png);
    }
    expect(await originCalls("renderCard", creds[1]!.id)).toBe(1);
  });
});

describe("unknown and malformed ids", () => {
  it("answers 404 problem for a malformed id without asking anyone", async () => {
    for (const path of ["/api/v1/verify/not-a-uuid", "/c/123.jwt", "/c/../x.json", "/issuers/Bad_Slug!/did.json"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await origin.testCalls()).toEqual([]);
  });

  it("asks the origin at most once per unknown id, however often it is requested", async () => {
    const id = crypto.randomUUID();
    for (const path of [`/api/v1/verify/${id}`, `/c/${id}.jwt`, `/api/v1/verify/${id}`, `/c/${id}/badge.png`, `/api/v1/verify/${id.toUpperCase()}`]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ code: "CREDENTIAL_NOT_FOUND" });
    }
    expect(await originCalls("credentialProjection", id)).toBe(1);
  });

  it("asks the origin once under concurrent requests for the same unknown id", async () => {
    const id = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(`/api/v1/verify/${id}`)));
    expect(answers.every((r) => r.status === 404)).toBe(true);
    expect(await originCalls("credentialProjection", id)).toBe(1);
  });

  it("finds a credential KV does not have yet through the origin, then serves it from memory", async () => {
    const { issuer, listId } = await seedWorld();
    const late = await issueCredential(issuer, listId, 9);
    await origin.testSeed({ credentials: { [late.id]: late.projection } });
    for (let i = 0; i < 3; i++) expect((await (await call(`/api/v1/verify/${late.id}`)).json()) as object).toMatchObject({ status: "valid" });
    expect(await originCalls("credentialProjection", late.id)).toBe(1);
  });

  it("keeps serving published credentials while the origin is down", async () => {
    const { creds } = await seedWorld();
    await origin.testSetDown(true);
    expect(await (await call(`/api/v1/verify/${creds[0]!.id}`)).json()).toMatchObject({ status: "valid" });
    expect((await call(`/c/${creds[0]!.id}.jwt`)).status).toBe(200);
    expect((await call(`/api/v1/verify/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe("issuer documents and status lists", () => {
  it("serves did.json and jwks.json with their media types", async () => {
    const { issuer } = await seedWorld();
    const did = await call(`/issuers/${issuer.slug}/did.json`);
    expect(did.headers.get("content-type")).toBe("application/did+json");
    expect(await did.json()).toMatchObject({ id: issuer.did, assertionMethod: [expect.stringContaining(`${issuer.did}#`)] });
    const jwks = await call(`/issuers/${issuer.slug}/jwks.json`);
    expect(jwks.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(await jwks.json()).toMatchObject({ keys: [{ kid: `${issuer.did}#${issuer.key.keyId}`, kty: "EC" }] });
    expect((await call(`/issuers/no-such-org-${crypto.randomUUID().slice(0, 6)}/did.json`)).status).toBe(404);
  });

  it("serves the status list credential from the authority as application/vc+jwt", async () => {
    const { list } = await seedWorld();
    const res = await call(`/status/${list.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vc+jwt");
    expect(res.headers.get("etag")).toBe('"s1"');
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(list.jwt);
    expect((await call(`/status/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("verifies a credential signed with a key newer than the edge's cached key set (one origin refresh)", async () => {
    const { issuer, listId, creds } = await seedWorld();
    expect(await (await call(`/api/v1/verify/${creds[0]!.id}`)).json()).toMatchObject({ status: "valid" }); // caches v1
    const newKey = await generateIssuerKey();
    const rotated = { ...issuer, key: newKey };
    const v2 = {
      ...issuer.projection,
      version: 2,
      didDocument: buildDidDocument(issuer.did, [issuer.key.publicJwk, newKey.publicJwk]) as unknown as Record<string, unknown>,
      jwks: buildJwks(issuer.did, [issuer.key.publicJwk, newKey.publicJwk]) as unknown as { keys: Record<string, unknown>[] },
    };
    await origin.testSeed({ issuers: { [issuer.slug]: v2 } });
    const fresh = await issueCredential(rotated, listId, 7);
    await putCredential(fresh);
    for (let i = 0; i < 2; i++) expect(await (await call(`/api/v1/verify/${fresh.id}`)).json()).toMatchObject({ status: "valid" });
    expect(await (await call(`/api/v1/verify/${creds[0]!.id}`)).json()).toMatchObject({ status: "valid" });
    expect(await originCalls("issuerProjection", issuer.slug)).toBe(1);
  });
});
