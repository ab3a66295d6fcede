// A credential signed by a key its issuer revoked (the key is gone from did.json and listed in the
// issuer projection's revokedKeys) verifies as invalid with the reason "signing key revoked".
import { describe, expect, it } from "vitest";
import { buildDidDocument, buildJwks, generateIssuerKey } from "../../shared/keys/index.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { call, issueCredential, listProjection, makeIssuer, pushListToAuthority, putCredential, putIssuer, putListInKv } from "../test/fixtures.ts";

describe("a credential signed by a revoked key", () => {
  it("GET /api/v1/verify/:id answers invalid, naming the revoked signing key; an unknown key stays 'not among the issuer's keys'", async () => {
    const issuer = await makeIssuer();
    const listId = crypto.randomUUID();
    const list = await listProjection(issuer, listId, {});
    await putListInKv(list);
    await pushListToAuthority(list);
    const signedByOld = await issueCredential(issuer, listId, 0);
    await putCredential(signedByOld);

    const replacement = await generateIssuerKey();
    const oldKid = `${issuer.did}#${issuer.key.keyId}`;
    issuer.projection = {
      ...issuer.projection,
      didDocument: buildDidDocument(issuer.did, [replacement.publicJwk]) as unknown as Record<string, unknown>,
      jwks: buildJwks(issuer.did, [replacement.publicJwk]) as unknown as { keys: Record<string, unknown>[] },
      revokedKeys: [{ kid: oldKid, revokedAt: new Date().toISOString() }],
      version: 2,
    };
    await putIssuer(issuer);

    const res = await call(`/api/v1/verify/${signedByOld.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as VerificationResult;
    expect(body).toMatchObject({ verified: false, status: "invalid" });
    expect(body.reason).toBe(`signing key revoked: ${oldKid}`);
    expect(body.checks.find((c) => c.name === "key")).toMatchObject({ ok: false, detail: `signing key revoked: ${oldKid}` });

    // Another issuer whose did.json also lacks the signing key, without listing it as revoked.
    const other = await makeIssuer();
    const stranger = await issueCredential(other, listId, 1);
    other.projection = {
      ...other.projection,
      didDocument: buildDidDocument(other.did, [replacement.publicJwk]) as unknown as Record<string, unknown>,
      jwks: buildJwks(other.did, [replacement.publicJwk]) as unknown as { keys: Record<string, unknown>[] },
    };
    await putIssuer(other);
    await putCredential(stranger);
    const unknown = (await (await call(`/api/v1/verify/${stranger.id}`)).json()) as VerificationResult;
    expect(unknown.status).toBe("invalid");
    expect(unknown.reason).toContain("is not among the issuer's keys");
  });
});
