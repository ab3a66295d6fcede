// Status lists at the edge as other issuers' software may sign them (no `sub`), and their validity
// period: an expired list answers nothing (`unknown`), and a valid answer says when its list was
// signed, on the JSON result and on the page.
import { describe, expect, it } from "vitest";
import type { StatusListProjection } from "../../shared/kv-keys.ts";
import { signListJwt, type ListJwtInput } from "../../shared/testing/status-list-jwts.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import {
  call,
  issueCredential,
  listUrl,
  makeIssuer,
  pushListToAuthority,
  putCredential,
  putIssuer,
  putListInKv,
} from "../test/fixtures.ts";

const INDEX = 7;
let ip = 0;

/** One issuer, one credential at INDEX, and its list signed as `list` says, in KV and the authority. */
async function seed(list: Partial<ListJwtInput>) {
  const issuer = await makeIssuer();
  const listId = crypto.randomUUID();
  const jwt = await signListJwt({ listUrl: listUrl(listId), issuerDid: issuer.did, key: issuer.key, ...list });
  const projection: StatusListProjection = {
    id: listId,
    orgSlug: issuer.slug,
    issuerDid: issuer.did,
    jwt,
    reasons: {},
    version: 1,
    updatedAt: new Date().toISOString(),
  };
  await putIssuer(issuer);
  await putListInKv(projection);
  await pushListToAuthority(projection);
  const issued = await issueCredential(issuer, listId, INDEX);
  await putCredential(issued);
  return issued;
}

async function postVerify(jwt: string): Promise<VerificationResult> {
  const res = await call("/api/v1/verify", {
    method: "POST",
    body: jwt,
    headers: { "content-type": "application/vc+jwt", "cf-connecting-ip": `203.0.113.${++ip}` },
  });
  expect(res.status).toBe(200);
  return res.json();
}

const statusCheck = (r: VerificationResult) => r.checks.find((c) => c.name === "status");

describe("a status list without `sub`", () => {
  it("verifies: valid when the bit is clear, revoked when it is set (POST /api/v1/verify and the page)", async () => {
    const clean = await seed({ withSub: false, revoked: [INDEX - 1, INDEX + 1] });
    expect(await postVerify(clean.jwt)).toMatchObject({ verified: true, status: "valid" });
    expect(await (await call(`/c/${clean.id}`)).text()).toContain('data-status="valid"');

    const revoked = await seed({ withSub: false, revoked: [INDEX] });
    expect(await postVerify(revoked.jwt)).toMatchObject({ verified: false, status: "revoked" });
    expect(await (await call(`/c/${revoked.id}`)).text()).toContain('data-status="revoked"');
  });
});

describe("status list validity period at the edge", () => {
  it("an expired list gives unknown, 'status list expired at <validUntil>', on the JSON and the page", async () => {
    const validUntil = new Date(Date.now() - 3 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const issued = await seed({ validFrom: new Date(Date.now() - 8 * 86_400_000), validUntil, revoked: [INDEX] });
    const posted = await postVerify(issued.jwt);
    expect(posted).toMatchObject({ verified: false, status: "unknown", reason: `status list expired at ${validUntil}` });
    expect(statusCheck(posted)).toEqual({ name: "status", ok: false, detail: `status list expired at ${validUntil}` });

    const stored: VerificationResult = await (await call(`/api/v1/verify/${issued.id}`)).json();
    expect(stored).toMatchObject({ status: "unknown", reason: `status list expired at ${validUntil}` });
    const page = await (await call(`/c/${issued.id}`)).text();
    expect(page).toContain('data-status="unknown"');
    expect(page).toContain(`status list expired at ${validUntil}`);
  });

  it("a valid answer says when the list was signed: the status check's detail and the page's 'as of'", async () => {
    const validFrom = "2026-11-20T08:30:00Z";
    const issued = await seed({ validFrom, validUntil: new Date(Date.now() + 7 * 86_400_000) });
    const result: VerificationResult = await (await call(`/api/v1/verify/${issued.id}`)).json();
    expect(result.status).toBe("valid");
    expect(statusCheck(result)?.detail).toBe(`not revoked as of ${validFrom} (${listUrl(issued.projection.statusListId)} #${INDEX})`);
    expect(Object.keys(result).sort()).toEqual(["checks", "credential", "proof", "status", "verified"]);
    expect(result.proof).toBe("vc-jwt");

    const page = await (await call(`/c/${issued.id}`)).text();
    expect(page).toMatch(/signature checked, not revoked as of 20 November 2026\D+08:30 UTC and within its validity period/);
  });
});
