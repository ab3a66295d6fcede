// GET /api/v1/verify/:id: the stored JWT is verified at the edge on every call (signature, issuer
// key, dates, status from the list authority), three-valued, with named checks.
import { describe, expect, it } from "vitest";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { STATUS_MEMORY_TTL_MS } from "../services/status-lists.ts";
import {
  call,
  issueCredential,
  listProjection,
  makeIssuer,
  pushListToAuthority,
  putCredential,
  putIssuer,
  putListInKv,
  seedWorld,
  sleep,
  type Issued,
} from "../test/fixtures.ts";

async function verify(id: string, init?: RequestInit): Promise<{ res: Response; body: VerificationResult }> {
  const res = await call(`/api/v1/verify/${id}`, init);
  return { res, body: res.status === 200 ? await res.json() : (undefined as never) };
}

function check(body: VerificationResult, name: string) {
  return body.checks.find((c) => c.name === name);
}

describe("GET /api/v1/verify/:id", () => {
  it("answers valid for a good credential, with the credential summary", async () => {
    const { creds, issuer } = await seedWorld();
    const { res, body } = await verify(creds[0]!.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(body).toMatchObject({ verified: true, status: "valid" });
    expect(body.checks.every((c) => c.ok)).toBe(true);
    expect(check(body, "signature")?.ok).toBe(true);
    expect(check(body, "status")?.ok).toBe(true);
    expect(body.credential).toMatchObject({
      id: `urn:uuid:${creds[0]!.id}`,
      issuer: { id: issuer.did },
      recipientName: "Grace Hopper",
      achievement: { name: "Edge Caching 101" },
    });
  });

  it("answers revoked with the issuer's reason from the status list projection", async () => {
    const { creds } = await seedWorld({ count: 2, revoked: { 1: "Awarded in error" } });
    const { body } = await verify(creds[1]!.id);
    expect(body).toMatchObject({ verified: false, status: "revoked", reason: "Awarded in error" });
    expect(check(body, "status")).toMatchObject({ ok: false });
    const other = await verify(creds[0]!.id);
    expect(other.body.status).toBe("valid");
  });

  it("falls back to the credential projection's revocation reason", async () => {
    const issuer = await makeIssuer();
    const listId = crypto.randomUUID();
    const list = await listProjection(issuer, listId, { 0: "x" });
    delete list.reasons;
    await putIssuer(issuer);
    await pushListToAuthority(list);
    const issued = await issueCredential(issuer, listId, 0);
    issued.projection.revocation = { reason: "Plagiarism", revokedAt: new Date().toISOString() };
    await putCredential(issued);
    const { body } = await verify(issued.id);
    expect(body).toMatchObject({ status: "revoked", reason: "Plagiarism" });
  });

  it("answers expired and not_yet_valid from the signed dates", async () => {
    const { issuer, listId } = await seedWorld();
    const expired = await issueCredential(issuer, listId, 5, {
      validFrom: new Date(Date.now() - 7200_000),
      validUntil: new Date(Date.now() - 3600_000),
    });
    const future = await issueCredential(issuer, listId, 6, { validFrom: new Date(Date.now() + 86400_000) });
    await putCredential(expired);
    await putCredential(future);
    const a = await verify(expired.id);
    expect(a.body).toMatchObject({ verified: false, status: "expired" });
    expect(check(a.body, "valid_until")?.ok).toBe(false);
    const b = await verify(future.id);
    expect(b.body).toMatchObject({ verified: false, status: "not_yet_valid" });
    expect(check(b.body, "valid_from")?.ok).toBe(false);
  });

  it("answers unknown (never valid) when no status list can be found anywhere", async () => {
    const issuer = await makeIssuer();
    await putIssuer(issuer);
    const issued = await issueCredential(issuer, crypto.randomUUID(), 3); // a list nobody published
    await putCredential(issued);
    const { body } = await verify(issued.id);
    expect(body).toMatchObject({ verified: false, status: "unknown" });
    expect(check(body, "status")).toMatchObject({ ok: false });
    expect(check(body, "signature")?.ok).toBe(true);
  });

  it("uses KV's status list when the authority has none", async () => {
    const issuer = await makeIssuer();
    const listId = crypto.randomUUID();
    await putIssuer(issuer);
    await putListInKv(await listProjection(issuer, listId, { 2: "Withdrawn" }));
    const issued = await issueCredential(issuer, listId, 2);
    await putCredential(issued);
    expect((await verify(issued.id)).body).toMatchObject({ status: "revoked", reason: "Withdrawn" });
  });

  it("answers invalid for a tampered stored JWT and names the signature check", async () => {
    const { creds } = await seedWorld();
    const tampered: Issued = structuredClone(creds[0]!);
    const [h, p, s] = tampered.jwt.split(".");
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p!.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0))));
    payload.credentialSubject.name = "Mallory";
    const forged = btoa(JSON.stringify(payload)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    tampered.jwt = `${h}.${forged}.${s}`;
    tampered.projection.jwt = tampered.jwt;
    tampered.id = crypto.randomUUID();
    tampered.projection.id = tampered.id;
    await putCredential(tampered);
    const { body } = await verify(tampered.id);
    expect(body).toMatchObject({ verified: false, status: "invalid" });
    expect(check(body, "signature")).toMatchObject({ ok: false });
    expect(body.credential).toBeUndefined();
  });

  it("answers unknown for a credential of an issuer hosted elsewhere, without resolving it", async () => {
    const foreign = await makeIssuer("elsewhere", "https://evil.example.com");
    const issued = await issueCredential(foreign, "l1", 0, {}, "https://evil.example.com");
    await putCredential(issued);
    const { body } = await verify(issued.id);
    expect(body).toMatchObject({ verified: false, status: "unknown" });
    expect(check(body, "key")?.detail).toContain("not hosted by");
  });

  it("sends an ETag and answers 304 to If-None-Match while nothing changed", async () => {
    const { creds } = await seedWorld();
    const first = await verify(creds[0]!.id);
    const etag = first.res.headers.get("etag");
    expect(etag).toMatch(/^"c1-s1-valid"$/);
    expect(first.res.headers.get("cache-control")).toContain("no-cache");
    const again = await call(`/api/v1/verify/${creds[0]!.id}`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    const stale = await call(`/api/v1/verify/${creds[0]!.id}`, { headers: { "if-none-match": '"c0-s0-valid"' } });
    expect(stale.status).toBe(200);
  });

  it("shows a revocation pushed to the authority once the isolate's short cache expires", async () => {
    const { issuer, listId, creds } = await seedWorld({ count: 1 });
    const before = await verify(creds[0]!.id);
    expect(before.body.status).toBe("valid");
    await pushListToAuthority(await listProjection(issuer, listId, { 0: "Revoked at the registrar's request" }, 2));
    // Polled with a generous deadline: the isolate keeps a status for STATUS_MEMORY_TTL_MS.
    const deadline = Date.now() + STATUS_MEMORY_TTL_MS + 10_000;
    let after = await verify(creds[0]!.id, { headers: { "if-none-match": before.res.headers.get("etag")! } });
    while (after.res.status === 304 && Date.now() < deadline) {
      await sleep(100);
      after = await verify(creds[0]!.id, { headers: { "if-none-match": before.res.headers.get("etag")! } });
    }
    expect(after.res.status).toBe(200);
    expect(after.body).toMatchObject({ verified: false, status: "revoked", reason: "Revoked at the registrar's request" });
    expect(after.res.headers.get("etag")).toBe('"c1-s2-revoked"');
  }, 30_000);

  it("ignores an older status list pushed after a newer one", async () => {
    const { issuer, listId } = await seedWorld();
    const newer = await listProjection(issuer, listId, { 0: "r" }, 5);
    await expect(pushListToAuthority(newer)).resolves.toEqual({ stored: true, version: 5 });
    await expect(pushListToAuthority(await listProjection(issuer, listId, {}, 4))).resolves.toEqual({ stored: false, version: 5 });
  });
});
