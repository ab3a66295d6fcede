// The Data Integrity representations the edge serves: /c/:id.json with the proof the origin's
// publication adds (and without it until then), the Learner Credential Wallet's request, and the
// status list by content negotiation.
import { afterEach, describe, expect, it } from "vitest";
import { kvKeys } from "../../shared/kv-keys.ts";
import { call, origin, pushListToAuthority, seedWorld, testEnv } from "../test/fixtures.ts";

afterEach(async () => {
  await origin.testReset();
});

const PROOF = { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod: "did:web:x#z6Mk", proofValue: "z5" };

describe("credential JSON with its Data Integrity proof", () => {
  it("serves /c/:id.json as today until the proof is published, then with it (its own ETag)", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    const before = await call(`/c/${id}.json`);
    expect(before.headers.get("etag")).toBe('"c1"');
    expect(await before.json()).not.toHaveProperty("proof");

    await testEnv.PROJECTIONS.put(kvKeys.credentialProof(id), JSON.stringify({ proof: PROOF }));
    const after = await call(`/c/${id}.json`);
    expect(after.headers.get("etag")).toBe('"c1p"');
    const json = await after.json<Record<string, unknown>>();
    expect(json).toMatchObject({ id: `urn:uuid:${id}`, proof: PROOF });
    expect((await call(`/c/${id}.json`, { headers: { "if-none-match": '"c1"' } })).status).toBe(200);
  });

  it("answers the Learner Credential Wallet's request with the secured credential, 503 before the proof, 404 for unknown ids", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    const request = () => call(`/c/${id}/lcw-request`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"type":"VerifiablePresentation"}' });
    const pending = await request();
    expect(pending.status).toBe(503);
    expect(pending.headers.get("retry-after")).toBe("60");
    expect(await pending.json()).toMatchObject({ code: "CREDENTIAL_PROOF_PENDING" });

    await testEnv.PROJECTIONS.put(kvKeys.credentialProof(id), JSON.stringify({ proof: PROOF }));
    const ok = await request();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/vc+ld+json");
    expect(await ok.json()).toMatchObject({ id: `urn:uuid:${id}`, proof: PROOF });
    const unknown = await call(`/c/${crypto.randomUUID()}/lcw-request`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
  });

  it("offers Add to Learner Credential Wallet on the page of a valid credential", async () => {
    const { creds } = await seedWorld();
    const page = await (await call(`/c/${creds[0]!.id}`)).text();
    const link = /id="lcw-add" href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe("https://lcw.app/request.html");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: "verify.example.test",
      auth_type: "bearer",
      challenge: creds[0]!.id,
      vc_request_url: `https://verify.example.test/c/${creds[0]!.id}/lcw-request`,
    });
  });
});

describe("status list content negotiation", () => {
  it("serves the JSON-LD list to JSON Accept headers and the VC-JWT otherwise, varying on Accept", async () => {
    const { list } = await seedWorld();
    const secured = JSON.stringify({ id: `https://verify.example.test/status/${list.id}`, proof: PROOF });
    await pushListToAuthority({ ...list, version: list.version + 1, dataIntegrity: secured });
    for (const accept of ["application/vc+ld+json", "application/ld+json", "application/json"]) {
      const res = await call(`/status/${list.id}`, { headers: { accept } });
      expect(res.headers.get("content-type"), accept).toBe("application/vc+ld+json");
      expect(res.headers.get("vary")).toBe("Accept");
      expect(res.headers.get("etag")).toBe(`"s${list.version + 1}-ld"`);
      expect(await res.text()).toBe(secured);
    }
    const jwt = await call(`/status/${list.id}`);
    expect(jwt.headers.get("content-type")).toBe("application/vc+jwt");
    expect(jwt.headers.get("vary")).toBe("Accept");
    expect(await jwt.text()).toBe(list.jwt);
    const notModified = await call(`/status/${list.id}`, { headers: { accept: "application/json", "if-none-match": `"s${list.version + 1}-ld"` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("vary")).toBe("Accept");
  });

  it("serves the VC-JWT to every client while the list has no Data Integrity twin", async () => {
    const { list } = await seedWorld();
    const res = await call(`/status/${list.id}`, { headers: { accept: "application/ld+json" } });
    expect(res.headers.get("content-type")).toBe("application/vc+jwt");
    expect(await res.text()).toBe(list.jwt);
  });
});
