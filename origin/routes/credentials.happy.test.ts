import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { checkCredentialShape, emailMatches } from "../../shared/credential/index.ts";
import { buildDidDocument, issuerDid, keysFromDocument } from "../../shared/keys/index.ts";
import { CheckList, verifyVcJwt } from "../../shared/vc-jwt/index.ts";
import { BASE, call, countRows, credentialBody, issue, makeAchievement, makeOrg, sentJobs, type TestOrg } from "../test/api.ts";

/** The org's DID document as the edge will publish it: every key from GET /v1/keys. */
async function didDocumentOf(org: TestOrg) {
  const keys = (await (await call("/v1/keys", { token: org.apiKey })).json()) as { kid: string; publicJwk: Record<string, unknown> }[];
  return buildDidDocument(issuerDid(BASE, org.slug), keys.map((k) => ({ ...k.publicJwk, kid: k.kid })));
}

async function verify(jwt: string, didDocument: unknown) {
  const list = new CheckList();
  const result = await verifyVcJwt(jwt, { resolveIssuerKeys: (did) => keysFromDocument(didDocument, did) }, list);
  return { ...result, status: list.status(result.signatureVerified), checks: list.checks };
}

describe("POST /v1/credentials", () => {
  it("issues a signed OB 3.0 VC-JWT that verifies against the org's DID document", async () => {
    const org = await makeOrg("issue");
    const achievement = await makeAchievement(org, { imageUrl: "https://example.edu/badge.png", tags: ["testing"] });
    const res = await issue(org, {
      achievementId: achievement.id,
      recipient: { name: "Grace Hopper", email: "Grace@Example.EDU" },
      validUntil: "2099-01-01T00:00:00Z",
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string; verifyUrl: string; jwt: string };
    expect(body.status).toBe("active");
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.verifyUrl).toBe(`${BASE}/c/${body.id}`);
    expect(sentJobs).toContainEqual(expect.objectContaining({ type: "credential.publish", credentialId: body.id }));

    const did = issuerDid(BASE, org.slug);
    expect(did).toBe(`did:web:verify.example.test:issuers:${org.slug}`);
    const header = decodeProtectedHeader(body.jwt);
    expect(header.alg).toBe("ES256");
    expect(header.typ).toBe("JWT");
    expect(header.kid).toMatch(new RegExp(`^${did}#.+`));

    const payload = decodeJwt(body.jwt) as Record<string, any>;
    expect(payload["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
      "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]);
    expect(payload.credentialSchema).toEqual([
      {
        id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        type: "1EdTechJsonSchemaValidator2019",
      },
    ]);
    expect(payload.type).toEqual(expect.arrayContaining(["VerifiableCredential", "OpenBadgeCredential"]));
    expect(payload.id).toBe(`urn:uuid:${body.id}`);
    expect(payload.jti).toBe(payload.id);
    expect(payload.iss).toBe(did);
    expect(payload.issuer.id).toBe(did);
    expect(payload.sub).toBe(payload.credentialSubject.id);
    expect(payload.exp).toBe(Date.parse("2099-01-01T00:00:00Z") / 1000);
    expect(payload.credentialSubject.achievement).toMatchObject({
      id: `urn:uuid:${achievement.id}`,
      name: "Intro to Testing",
      image: { id: "https://example.edu/badge.png", type: "Image" },
      tag: ["testing"],
    });
    // The email appears only as a salted hash: not in the decoded header or payload, in any case.
    expect(JSON.stringify(header)).not.toMatch(/grace@example\.edu/i);
    expect(JSON.stringify(payload)).not.toMatch(/grace@example\.edu/i);
    const identity = payload.credentialSubject.identifier[0];
    expect(identity.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(await emailMatches("grace@example.edu", identity)).toBe(true);
    const status = payload.credentialStatus;
    expect(status.type).toBe("BitstringStatusListEntry");
    expect(status.statusPurpose).toBe("revocation");
    expect(status.statusListIndex).toMatch(/^\d+$/);
    expect(status.statusListCredential).toMatch(new RegExp(`^${BASE}/status/[0-9a-f-]{36}$`));
    expect(checkCredentialShape(payload)).toBeNull();

    const verified = await verify(body.jwt, await didDocumentOf(org));
    expect(verified.status).toBe("valid");
    expect(verified.signatureVerified).toBe(true);
  });

  it("GET /v1/credentials/:id returns the stored credential with its slot and recipient", async () => {
    const org = await makeOrg("get");
    const achievement = await makeAchievement(org);
    const issued = (await (await issue(org, credentialBody(achievement.id, "ada@example.edu"))).json()) as { id: string; jwt: string };
    const res = await call(`/v1/credentials/${issued.id}`, { token: org.apiKey });
    expect(res.status).toBe(200);
    const cred = (await res.json()) as Record<string, any>;
    expect(cred).toMatchObject({
      id: issued.id,
      status: "active",
      jwt: issued.jwt,
      verifyUrl: `${BASE}/c/${issued.id}`,
      achievementId: achievement.id,
      recipient: { name: "Ada Lovelace", email: "ada@example.edu" },
      validUntil: null,
    });
    expect(cred.revocationReason).toBeUndefined();
    const payload = decodeJwt(issued.jwt) as Record<string, any>;
    expect(String(cred.statusIndex)).toBe(payload.credentialStatus.statusListIndex);
    expect(payload.credentialStatus.statusListCredential).toBe(`${BASE}/status/${cred.statusListId}`);
    expect(cred.validFrom).toBe(payload.validFrom);
    expect(Date.parse(cred.issuedAt)).not.toBeNaN();
  });

  it("gives credentials distinct, non-sequential status indexes", async () => {
    const org = await makeOrg("slots");
    const achievement = await makeAchievement(org);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(((await (await issue(org, credentialBody(achievement.id))).json()) as { id: string }).id);
    const indexes = await Promise.all(
      ids.map(async (id) => ((await (await call(`/v1/credentials/${id}`, { token: org.apiKey })).json()) as { statusIndex: number }).statusIndex),
    );
    expect(new Set(indexes).size).toBe(8);
    const sequential = indexes.every((v, i) => i === 0 || v === indexes[i - 1]! + 1);
    expect(sequential).toBe(false);
    expect(Math.max(...indexes)).toBeGreaterThan(8); // scattered over the 131,072 entries, not 0..7
  });
});

describe("GET /v1/credentials", () => {
  it("pages newest first and filters by achievement and email (case-insensitive)", async () => {
    const org = await makeOrg("list");
    const a1 = await makeAchievement(org);
    const a2 = await makeAchievement(org, { name: "Second" });
    const issued: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = credentialBody(i < 3 ? a1.id : a2.id, i === 4 ? "Special@Example.edu" : undefined);
      issued.push(((await (await issue(org, body)).json()) as { id: string }).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await (await call(`/v1/credentials${qs}`, { token: org.apiKey })).json()) as { data: { id: string }[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((d) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // Issued one after another (each request commits before the next starts): newest first is the reverse.
    expect(seen).toEqual([...issued].reverse());

    const byAchievement = (await (await call(`/v1/credentials?achievementId=${a2.id}`, { token: org.apiKey })).json()) as { data: { id: string; achievementId: string }[] };
    expect(byAchievement.data.map((d) => d.id)).toEqual([issued[4], issued[3]]);
    expect(byAchievement.data.every((d) => d.achievementId === a2.id)).toBe(true);

    const byEmail = (await (await call(`/v1/credentials?email=${encodeURIComponent("SPECIAL@example.EDU")}`, { token: org.apiKey })).json()) as { data: { id: string }[] };
    expect(byEmail.data.map((d) => d.id)).toEqual([issued[4]]);
  });
});

describe("POST /v1/credentials/:id/revoke", () => {
  it("revokes once, keeps the first reason on repeats, bumps the status list version once", async () => {
    const org = await makeOrg("revoke");
    const achievement = await makeAchievement(org);
    const issued = (await (await issue(org, credentialBody(achievement.id))).json()) as { id: string };
    const before = (await (await call(`/v1/credentials/${issued.id}`, { token: org.apiKey })).json()) as { statusListId: string };
    const version = () => countRows("status_lists", "id = ? AND version = ?", [before.statusListId, 1]);

    const first = await call(`/v1/credentials/${issued.id}/revoke`, { method: "POST", token: org.apiKey, json: { reason: "Issued in error" } });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as Record<string, unknown>;
    expect(firstBody).toMatchObject({ id: issued.id, status: "revoked", revocationReason: "Issued in error" });
    expect(await version()).toBe(1);
    expect(sentJobs).toContainEqual(expect.objectContaining({ type: "status-list.publish", statusListId: before.statusListId }));
    expect(sentJobs).toContainEqual(expect.objectContaining({ type: "credential.publish", credentialId: issued.id }));

    const again = await call(`/v1/credentials/${issued.id}/revoke`, { method: "POST", token: org.apiKey, json: { reason: "Another reason" } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(firstBody);
    expect(await version()).toBe(1); // not bumped again

    const cred = (await (await call(`/v1/credentials/${issued.id}`, { token: org.apiKey })).json()) as Record<string, unknown>;
    expect(cred).toMatchObject({ status: "revoked", revocationReason: "Issued in error", revokedAt: firstBody.revokedAt });
  });
});

describe("keys", () => {
  it("rotation: one active key, credentials from before and after both verify against the DID document", async () => {
    const org = await makeOrg("rotate");
    const achievement = await makeAchievement(org);
    const before = (await (await issue(org, credentialBody(achievement.id))).json()) as { jwt: string };

    const rotated = await call("/v1/keys/rotate", { method: "POST", token: org.apiKey });
    expect(rotated.status).toBe(201);
    const { kid } = (await rotated.json()) as { kid: string };
    expect(sentJobs.filter((j) => j.type === "issuer.publish" && j.orgId === org.id)).toHaveLength(2); // creation + rotation
    const after = (await (await issue(org, credentialBody(achievement.id))).json()) as { jwt: string };
    expect(decodeProtectedHeader(after.jwt).kid).toBe(`${issuerDid(BASE, org.slug)}#${kid}`);
    expect(decodeProtectedHeader(before.jwt).kid).not.toBe(decodeProtectedHeader(after.jwt).kid);

    const keys = (await (await call("/v1/keys", { token: org.apiKey })).json()) as Record<string, any>[];
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => k.status)).toEqual(["retired", "active"]);
    expect(keys[1]!.kid).toBe(kid);
    expect(keys[0]!.retiredAt).toBeTruthy();
    for (const k of keys) {
      expect(k.publicJwk.d).toBeUndefined();
      expect(JSON.stringify(k)).not.toMatch(/private|"d"/i);
    }

    const doc = await didDocumentOf(org);
    expect((await verify(before.jwt, doc)).status).toBe("valid");
    expect((await verify(after.jwt, doc)).status).toBe("valid");
    // Sanity: without the retired key the old credential does not verify (the check can fail).
    const onlyNew = buildDidDocument(issuerDid(BASE, org.slug), [{ ...keys[1]!.publicJwk, kid }]);
    expect((await verify(before.jwt, onlyNew)).status).toBe("invalid");
  });

  it("concurrent rotations never leave two active keys", async () => {
    const org = await makeOrg("rot2");
    const initial = (await (await call("/v1/keys", { token: org.apiKey })).json()) as { kid: string }[];
    const results = await Promise.all(Array.from({ length: 4 }, () => call("/v1/keys/rotate", { method: "POST", token: org.apiKey })));
    // Each rotation is one transaction (retire the active key, insert the new one): they serialize, so every one succeeds.
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const rotated = await Promise.all(results.map(async (r) => ((await r.json()) as { kid: string }).kid));
    expect(new Set(rotated).size).toBe(4);
    const keys = (await (await call("/v1/keys", { token: org.apiKey })).json()) as { kid: string; status: string }[];
    expect(keys.map((k) => k.kid).sort()).toEqual([initial[0]!.kid, ...rotated].sort());
    const active = keys.filter((k) => k.status === "active");
    expect(active).toHaveLength(1);
    expect(rotated).toContain(active[0]!.kid);
    expect(keys.filter((k) => k.status === "retired")).toHaveLength(4);
  });
});
