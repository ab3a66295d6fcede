import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiBusy, QUIET_MS } from "../../http/activity.ts";
import { extractFromPng } from "../../../shared/bake/png.ts";
import { kvKeys, type CredentialProjection, type IssuerProjection, type StatusListProjection } from "../../../shared/kv-keys.ts";
import { keysFromDocument } from "../../../shared/keys/index.ts";
import { getBit, verifyStatusList } from "../../../shared/status-list/index.ts";
import { statusLists } from "../../db/schema/index.ts";
import { EdgeApi } from "../../rpc/edge-api.ts";
import { deliver, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { pngSize } from "../render/index.ts";
import { rotateSigningKey } from "../signing/signing-keys.ts";
import { statusListAuthority } from "./status-list.ts";
import { testContext } from "../../test/execution-context.ts";

afterEach(() => reset());

async function issueOne(name = "Ada Lovelace") {
  const issuer = await newIssuer();
  const [result] = await issueCredentials(originEnv, {
    org: { id: issuer.org.id, slug: issuer.org.slug, name: issuer.org.name, url: null },
    achievement: issuer.achievement,
    recipients: [{ name, email: "ada@example.org" }],
    requestId: "req-test",
  });
  if (!result?.ok) throw new Error("issue failed");
  return { ...issuer, credential: result };
}

const kv = () => originEnv.PROJECTIONS;

describe("credential.publish", () => {
  it("writes the projection, a badge with the JWT baked in and the 1200×627 card; twice gives the same state", async () => {
    const { org, achievement, credential } = await issueOne();
    const e = testEnv();
    const job = { type: "credential.publish" as const, credentialId: credential.credentialId, requestId: "req-pub" };
    // Cards are warmed only while the isolate's API is idle; the test file before this one in the
    // same isolate may have served a request moments ago.
    await vi.waitUntil(() => !apiBusy(), { timeout: 10 * QUIET_MS, interval: QUIET_MS / 5 });
    const result = await deliver(e, [job]);
    expect(result.explicitAcks.length).toBe(1);

    const projection = await kv().get<CredentialProjection>(kvKeys.credential(credential.credentialId), "json");
    expect(projection).toMatchObject({
      id: credential.credentialId,
      jwt: credential.jwt,
      orgSlug: org.slug,
      issuer: { id: `did:web:verify.example.test:issuers:${org.slug}`, name: org.name },
      achievement: { id: achievement.id, name: achievement.name, criteria: "Pass every lab." },
      recipientName: "Ada Lovelace",
      statusListId: credential.statusListId,
      statusIndex: credential.statusIndex,
    });
    expect(projection?.version).toBeGreaterThan(0);
    expect(projection?.revocation).toBeUndefined();

    const badge = new Uint8Array((await kv().get(kvKeys.badgePng(credential.credentialId), "arrayBuffer"))!);
    expect(extractFromPng(badge)).toBe(credential.jwt);
    const card = new Uint8Array((await kv().get(kvKeys.cardPng(credential.credentialId), "arrayBuffer"))!);
    expect(pngSize(card)).toEqual({ width: 1200, height: 627 });
    // The base image is drawn once per achievement and kept for the next credential.
    expect(await kv().get(kvKeys.achievementBadgePng(achievement.id), "arrayBuffer")).not.toBeNull();

    await deliver(e, [job], 2);
    expect(await kv().get<CredentialProjection>(kvKeys.credential(credential.credentialId), "json")).toEqual(projection);
    expect(extractFromPng(new Uint8Array((await kv().get(kvKeys.badgePng(credential.credentialId), "arrayBuffer"))!))).toBe(credential.jwt);
  });

  it("batch publications (card: lazy) skip the card; the edge gets it from EdgeApi.renderCard", async () => {
    const { credential } = await issueOne("Grace Hopper");
    await deliver(testEnv(), [{ type: "credential.publish", credentialId: credential.credentialId, requestId: "r", card: "lazy" }]);
    expect(await kv().get(kvKeys.credential(credential.credentialId))).not.toBeNull();
    expect(await kv().get(kvKeys.cardPng(credential.credentialId))).toBeNull();
    const api = new EdgeApi(testContext(), originEnv);
    const png = await api.renderCard(credential.credentialId);
    expect(pngSize(new Uint8Array(png!))).toEqual({ width: 1200, height: 627 });
    expect(await kv().get(kvKeys.cardPng(credential.credentialId))).not.toBeNull();
    expect(await api.renderCard(crypto.randomUUID())).toBeNull();
  });

  it("after a revocation the projection carries it, and an older publication cannot overwrite it", async () => {
    const { org, db, credential } = await issueOne();
    const e = testEnv();
    const job = { type: "credential.publish" as const, credentialId: credential.credentialId, requestId: "r" };
    await deliver(e, [job]);
    const issued = await kv().get<CredentialProjection>(kvKeys.credential(credential.credentialId), "json");
    await revokeCredential(db, org.id, credential.credentialId, "Issued in error");
    await deliver(e, [job]);
    const revoked = await kv().get<CredentialProjection>(kvKeys.credential(credential.credentialId), "json");
    expect(revoked?.revocation).toMatchObject({ reason: "Issued in error" });
    expect(revoked!.version).toBeGreaterThan(issued!.version);
    // A stale writer (the pre-revocation state) is refused.
    const { publishCredentialProjection } = await import("./credential.ts");
    expect(await publishCredentialProjection(originEnv, issued!)).toBe("stale");
    expect((await kv().get<CredentialProjection>(kvKeys.credential(credential.credentialId), "json"))?.revocation).toBeDefined();
  });
});

describe("issuer.publish", () => {
  it("lists every key the org ever had, before and after rotation", async () => {
    const { org, db } = await newIssuer();
    const e = testEnv();
    await deliver(e, [{ type: "issuer.publish", orgId: org.id, requestId: "r" }]);
    const first = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    // One JWT key (JsonWebKey2020) and its paired Ed25519 Data Integrity key (Multikey).
    expect((first?.didDocument.verificationMethod as { type: string }[]).map((m) => m.type)).toEqual(["JsonWebKey2020", "Multikey"]);
    const newKid = await rotateSigningKey(db, originEnv, org.id);
    await deliver(e, [{ type: "issuer.publish", orgId: org.id, requestId: "r" }]);
    const after = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    const did = `did:web:verify.example.test:issuers:${org.slug}`;
    expect(after).toMatchObject({ slug: org.slug, did, name: org.name });
    const all = after!.didDocument.verificationMethod as { id: string; type: string }[];
    const methods = all.filter((m) => m.type === "JsonWebKey2020");
    expect(methods).toHaveLength(2);
    expect(all.filter((m) => m.type === "Multikey")).toHaveLength(2);
    expect(methods.map((m) => m.id)).toContain(`${did}#${newKid}`);
    expect(after!.didDocument.assertionMethod).toEqual(all.map((m) => m.id));
    expect(after!.jwks.keys.map((k) => k.kid).sort()).toEqual(methods.map((m) => m.id).sort());
    expect(after!.version).toBeGreaterThan(first!.version);
    expect(keysFromDocument(after!.didDocument, did)).toHaveLength(4); // two JWT keys and their two Ed25519 Multikeys
  });
});

describe("status-list.publish", () => {
  it("after a revocation sets the bit in KV and in the edge's Durable Object; older versions never win", async () => {
    const { org, db, credential } = await issueOne();
    const e = testEnv();
    const listId = credential.statusListId;
    await revokeCredential(db, org.id, credential.credentialId, "Academic misconduct");
    await deliver(e, [
      { type: "issuer.publish", orgId: org.id, requestId: "r" },
      { type: "status-list.publish", statusListId: listId, requestId: "r" },
    ]);
    const [list] = await db.select().from(statusLists).where(eq(statusLists.id, listId));
    const stored = await kv().get<StatusListProjection>(kvKeys.statusList(listId), "json");
    expect(stored).toMatchObject({ id: listId, orgSlug: org.slug, version: list!.version, reasons: { [String(credential.statusIndex)]: "Academic misconduct" } });
    expect(list!.version).toBeGreaterThan(0);

    // Signed by the issuer: verify against the published DID document, then read the bit.
    const issuer = await kv().get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    const verified = await verifyStatusList(stored!.jwt, { resolveIssuerKeys: (did) => keysFromDocument(issuer!.didDocument, did) });
    expect(verified.id).toBe(`https://verify.example.test/status/${listId}`);
    expect(getBit(verified.bits, credential.statusIndex)).toBe(true);
    expect(verified.bits.reduce((n, b) => n + (b ? 1 : 0), 0)).toBe(1);

    const authority = statusListAuthority(originEnv, listId);
    const held = await authority.current();
    expect(held?.version).toBe(list!.version);
    expect(held?.jwt).toBe(stored!.jwt);

    // An out-of-order, older projection (from before the revocation) is ignored by both.
    const older = { ...stored!, version: stored!.version - 1, jwt: "older.jwt.value", reasons: {} };
    const { pushStatusList } = await import("./status-list.ts");
    expect(await pushStatusList(originEnv, older)).toEqual({ version: older.version, kv: "stale", authority: "stale" });
    expect((await kv().get<StatusListProjection>(kvKeys.statusList(listId), "json"))?.jwt).toBe(stored!.jwt);
    expect((await authority.current())?.jwt).toBe(stored!.jwt);
  });
});
