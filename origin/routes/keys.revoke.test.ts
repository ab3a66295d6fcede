// Revoking a compromised signing key (POST /v1/keys/:keyId/revoke) end to end inside workerd with the
// real libSQL server and the real job consumer: the key leaves did.json, credentials it signed read
// as "signing key revoked" until the key.resign jobs re-sign them with the active key (same id, same
// status entry), republished to KV (own projections and credential sets), and then verify as valid.
import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { kvKeys, type IssuerProjection, type StatusListProjection } from "../../shared/kv-keys.ts";
import { keysFromDocument } from "../../shared/keys/index.ts";
import { decodeCompactJws, type IssuerKeySet } from "../../shared/vc-jwt/index.ts";
import { createStatusResolver, verifyCredential } from "../../shared/verify/index.ts";
import { credentials } from "../db/schema/index.ts";
import type { OriginEnv } from "../env.ts";
import { republishCredentialSet } from "../services/publication/credential-set.ts";
import { issueCredentials } from "../services/issuance/issue.ts";
import { RESIGN_CHUNK } from "../services/signing/resign.ts";
import { call, deliver, drain, newIssuer, originEnv, publishedProjections, testEnv } from "../test/queue-fixtures.ts";

afterEach(() => reset());

type KeyView = { kid: string; status: string; revokedAt: string | null; reason: string | null; resign: { total: number; done: number } | null };

async function keys(e: OriginEnv, apiKey: string): Promise<KeyView[]> {
  const res = await call(e, "/v1/keys", { apiKey });
  expect(res.status).toBe(200);
  return (await res.json()) as KeyView[];
}

function revoke(e: OriginEnv, apiKey: string, kid: string, reason = "private key leaked in a build log") {
  return call(e, `/v1/keys/${encodeURIComponent(kid)}/revoke`, {
    method: "POST",
    apiKey,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ reason }),
  });
}

async function issuerProjection(slug: string): Promise<IssuerProjection> {
  const projection = await originEnv.PROJECTIONS.get<IssuerProjection>(kvKeys.issuer(slug), "json");
  if (!projection) throw new Error("issuer projection missing");
  return projection;
}

/** Verifies as the edge does: keys (and revoked kids) from the issuer's KV projection, status lists from KV. */
async function verifyFromKv(jwt: string, slug: string) {
  const issuer = await issuerProjection(slug);
  const resolveIssuerKeys = (): IssuerKeySet => ({
    keys: keysFromDocument(issuer.didDocument, issuer.did),
    revokedKids: (issuer.revokedKeys ?? []).map((k) => k.kid),
  });
  const resolveStatus = createStatusResolver(async (url) => {
    const listId = url.slice(url.lastIndexOf("/") + 1);
    return (await originEnv.PROJECTIONS.get<StatusListProjection>(kvKeys.statusList(listId), "json"))?.jwt ?? null;
  }, { resolveIssuerKeys });
  return verifyCredential(jwt, { resolveIssuerKeys, resolveStatus });
}

function payloadOf(jwt: string) {
  const decoded = decodeCompactJws(jwt);
  if (typeof decoded === "string") throw new Error(decoded);
  return decoded;
}

describe("POST /v1/keys/:keyId/revoke", () => {
  it("removes the key from did.json and re-signs every credential it signed, same id and status entry, verifying valid", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer("Revocation University");
    const orgRecord = { id: org.id, slug: org.slug, name: org.name, url: null };
    // Two credentials issued one by one and a credential set larger than one re-sign chunk.
    const singles = [];
    for (const name of ["Ada Lovelace", "Grace Hopper"]) {
      const [r] = await issueCredentials(originEnv, { org: orgRecord, achievement, recipients: [{ name, email: `${name.split(" ")[0]}@example.org` }], requestId: "req-t" });
      if (!r?.ok) throw new Error("issue failed");
      singles.push(r.credentialId);
    }
    const recipients = Array.from({ length: RESIGN_CHUNK + 10 }, (_, i) => ({ name: `Learner ${i}`, email: `l${i}@example.org` }));
    const setResults = await issueCredentials(originEnv, { org: orgRecord, achievement, recipients, requestId: "req-t", inSet: true });
    const setIds = setResults.map((r) => (r.ok ? r.credentialId : "")).filter(Boolean);
    const setId = credentialSetIdOf(setIds[0]!)!;
    const ids = [...singles, ...setIds];
    await drain(e); // status lists created by issuance, if any
    await deliver(e, [
      { type: "issuer.publish", orgId: org.id, requestId: "req-t" },
      { type: "status-list.publish", statusListId: org.statusListId, requestId: "req-t" },
      ...singles.map((credentialId) => ({ type: "credential.publish" as const, credentialId, requestId: "req-t" }))]);
    await republishCredentialSet(db, originEnv, setId);
    const before = await publishedProjections(originEnv, ids);
    expect(before.size).toBe(ids.length);

    const [oldKey] = await keys(e, org.apiKey);
    expect(oldKey!.status).toBe("active");
    const oldKid = oldKey!.kid;
    const issuerDid = (await issuerProjection(org.slug)).did;
    const valid = await verifyFromKv(before.get(singles[0]!)!.jwt, org.slug);
    expect(valid.status, valid.reason).toBe("valid");

    const res = await revoke(e, org.apiKey, oldKid);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ kid: oldKid, status: "revoked", reason: "private key leaked in a build log", resign: { total: ids.length, done: 0 } });
    const after = await keys(e, org.apiKey);
    const newKey = after.find((k) => k.status === "active");
    expect(newKey && newKey.kid !== oldKid).toBe(true);

    // The issuer projection goes out first: until re-signed, the old JWTs say why they fail.
    const jobs = e.JOBS.take();
    expect(jobs.map((j) => j.type)).toEqual(expect.arrayContaining(["issuer.publish", "status-list.publish", "key.resign"]));
    await deliver(e, jobs.filter((j) => j.type === "issuer.publish"));
    const published = await issuerProjection(org.slug);
    expect(JSON.stringify(published.didDocument)).not.toContain(oldKid);
    expect(JSON.stringify(published.jwks)).not.toContain(oldKid);
    expect(keysFromDocument(published.didDocument, issuerDid).map((k) => k.kid)).toContain(`${issuerDid}#${newKey!.kid}`);
    // The JWT key, and its paired Ed25519 Data Integrity key (revoked with it).
    expect(published.revokedKeys?.map((k) => k.kid)).toEqual([`${issuerDid}#${oldKid}`, expect.stringMatching(new RegExp(`^${issuerDid}#z6Mk`))]);
    const stale = await verifyFromKv(before.get(singles[0]!)!.jwt, org.slug);
    expect(stale.status).toBe("invalid");
    expect(stale.reason).toContain("signing key revoked");

    // The rest: status lists re-signed, then the key.resign chain (each job enqueues the next).
    e.JOBS.sent.push(...jobs.filter((j) => j.type !== "issuer.publish"));
    const delivered = await drain(e);
    expect(delivered.filter((j) => j.type === "key.resign").length).toBeGreaterThanOrEqual(3); // two chunks and the sweep

    const rows = await db.select({ id: credentials.id, kid: credentials.kid, jwt: credentials.jwt }).from(credentials).where(eq(credentials.orgId, org.id));
    expect(rows).toHaveLength(ids.length);
    const now = await publishedProjections(originEnv, ids);
    for (const row of rows) {
      expect(row.kid).toBe(newKey!.kid);
      const old = before.get(row.id)!;
      const fresh = payloadOf(row.jwt);
      const prior = payloadOf(old.jwt);
      expect(fresh.header.kid).toBe(`${issuerDid}#${newKey!.kid}`);
      expect(fresh.payload.id).toBe(`urn:uuid:${row.id}`);
      expect(fresh.payload.credentialStatus).toEqual(prior.payload.credentialStatus);
      expect(fresh.payload.credentialSubject).toEqual(prior.payload.credentialSubject);
      const projection = now.get(row.id)!;
      expect(projection.jwt).toBe(row.jwt);
      expect(projection.version).toBeGreaterThan(old.version);
      const result = await verifyFromKv(projection.jwt, org.slug);
      expect(result.status, `${row.id}: ${result.reason}`).toBe("valid");
    }
    const revoked = (await keys(e, org.apiKey)).find((k) => k.kid === oldKid)!;
    expect(revoked).toMatchObject({ status: "revoked", resign: { total: ids.length, done: ids.length } });
    expect(revoked.revokedAt).not.toBeNull();

    // A redelivered first job finds nothing left to re-sign: progress and JWTs stay as they are.
    const redelivered = await deliver(e, [{ type: "key.resign", orgId: org.id, kid: oldKid, requestId: "req-again" }], 2);
    expect(redelivered.retryMessages).toEqual([]);
    expect((await keys(e, org.apiKey)).find((k) => k.kid === oldKid)!.resign).toEqual({ total: ids.length, done: ids.length });
    const unchanged = await db.select({ id: credentials.id, jwt: credentials.jwt }).from(credentials).where(eq(credentials.orgId, org.id));
    expect(new Map(unchanged.map((r) => [r.id, r.jwt]))).toEqual(new Map(rows.map((r) => [r.id, r.jwt])));

    // Status lists were re-signed by the new key too.
    const [list] = await db.select({ id: credentials.statusListId }).from(credentials).where(eq(credentials.id, singles[0]!));
    const listProjection = await originEnv.PROJECTIONS.get<StatusListProjection>(kvKeys.statusList(list!.id), "json");
    expect(payloadOf(listProjection!.jwt).header.kid).toBe(`${issuerDid}#${newKey!.kid}`);
  }, 120_000);

  it("revoking twice is harmless; unknown and other orgs' keys answer 404; a retired key is revoked without a rotation", async () => {
    const e = testEnv();
    const { org } = await newIssuer();
    const other = await newIssuer();
    const rotated = await call(e, "/v1/keys/rotate", { method: "POST", apiKey: org.apiKey });
    expect(rotated.status).toBe(201);
    const listed = await keys(e, org.apiKey);
    const retired = listed.find((k) => k.status === "retired")!;
    const active = listed.find((k) => k.status === "active")!;

    const first = await revoke(e, org.apiKey, retired.kid);
    expect(first.status).toBe(202);
    const again = await revoke(e, org.apiKey, retired.kid, "a second reason");
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ status: "revoked", reason: "private key leaked in a build log" });
    const nowKeys = await keys(e, org.apiKey);
    expect(nowKeys.find((k) => k.status === "active")!.kid).toBe(active.kid);
    expect(nowKeys).toHaveLength(2);

    expect((await revoke(e, org.apiKey, "no-such-key")).status).toBe(404);
    const otherKid = (await keys(e, other.org.apiKey))[0]!.kid;
    expect((await revoke(e, org.apiKey, otherKid)).status).toBe(404);
    expect((await keys(e, other.org.apiKey))[0]!.status).toBe("active");
    const bad = await call(e, `/v1/keys/${retired.kid}/revoke`, { method: "POST", apiKey: org.apiKey, headers: { "content-type": "application/json" }, body: "{}" });
    expect(bad.status).toBe(400);
  });
});
