import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSetIdOf, newCredentialIdInSet } from "../../shared/credential-sets.ts";
import { kvKeys, type CredentialProjection, type CredentialSetProjection } from "../../shared/kv-keys.ts";
import { scanCounts } from "../db/schema/index.ts";
import { issueCredentials } from "../services/issuance/issue.ts";
import { newIssuer, originEnv } from "../test/queue-fixtures.ts";
import { EdgeApi } from "./edge-api.ts";
import { testContext } from "../test/execution-context.ts";

afterEach(() => reset());

const api = () => new EdgeApi(testContext(), originEnv);

/** The real KV binding, with every key written through it recorded. */
function recordingKv(kv: KVNamespace): { kv: KVNamespace; written: string[] } {
  const written: string[] = [];
  const wrapped = new Proxy(kv, {
    get(target, name) {
      if (name === "put") return (key: string, ...rest: unknown[]) => (written.push(key), (target.put as (...a: unknown[]) => Promise<void>)(key, ...rest));
      const value: unknown = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { kv: wrapped, written };
}

async function kvKeysNow(): Promise<string[]> {
  return (await originEnv.PROJECTIONS.list()).keys.map((k) => k.name).sort();
}

describe("EdgeApi (the edge's read-through on a KV miss)", () => {
  it("credentialProjection reads the database and refills KV (projection and badge); unknown → null", async () => {
    const { org, achievement } = await newIssuer();
    const [issued] = await issueCredentials(originEnv, { org: { ...org, url: null }, achievement, recipients: [{ name: "Ada", email: "ada@example.org" }], requestId: "r" });
    if (!issued?.ok) throw new Error("issue failed");
    expect(await originEnv.PROJECTIONS.get(kvKeys.credential(issued.credentialId))).toBeNull();
    const projection = await api().credentialProjection(issued.credentialId);
    expect(projection).toMatchObject({ id: issued.credentialId, jwt: issued.jwt, orgSlug: org.slug });
    expect(await originEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(issued.credentialId), "json")).toEqual(projection);
    expect(await originEnv.PROJECTIONS.get(kvKeys.badgePng(issued.credentialId))).not.toBeNull();
    expect(await api().credentialProjection(crypto.randomUUID())).toBeNull();
    expect(await api().credentialProjection("../../etc/passwd")).toBeNull();
  });

  it("credentialProjection of a set member rewrites the whole credential set, nothing per credential", async () => {
    const { org, achievement } = await newIssuer();
    const recipients = [1, 2, 3].map((n) => ({ name: `Learner ${n}`, email: `l${n}@example.org` }));
    const issued = await issueCredentials(originEnv, { org: { ...org, url: null }, achievement, recipients, requestId: "r", inSet: true });
    const ids = issued.map((r) => (r.ok ? r.credentialId : ""));
    const setId = credentialSetIdOf(ids[0]!);
    expect(setId).not.toBeNull();
    expect(ids.map(credentialSetIdOf)).toEqual([setId, setId, setId]);
    const projection = await api().credentialProjection(ids[1]!);
    expect(projection).toMatchObject({ id: ids[1], recipientName: "Learner 2" });
    const set = await originEnv.PROJECTIONS.get<CredentialSetProjection>(kvKeys.credentialSet(setId!), "json");
    expect(set?.credentials.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(set?.credentials.find((c) => c.id === ids[1])).toEqual(projection);
    expect(await originEnv.PROJECTIONS.get(kvKeys.credential(ids[1]!))).toBeNull();
  });

  it("a flood of random ids inside a real credential set's prefix writes nothing to KV and answers null", async () => {
    const { org, achievement } = await newIssuer();
    const recipients = [1, 2].map((n) => ({ name: `Learner ${n}`, email: `f${n}@example.org` }));
    const issued = await issueCredentials(originEnv, { org: { ...org, url: null }, achievement, recipients, requestId: "r", inSet: true });
    const ids = issued.map((r) => (r.ok ? r.credentialId : ""));
    const setId = credentialSetIdOf(ids[0]!)!;
    const before = await kvKeysNow();
    const { kv, written } = recordingKv(originEnv.PROJECTIONS);
    const recording = new EdgeApi(testContext(), { ...originEnv, PROJECTIONS: kv });
    const answers = await Promise.all(Array.from({ length: 40 }, () => recording.credentialProjection(newCredentialIdInSet(setId))));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(written).toEqual([]);
    expect(await kvKeysNow()).toEqual(before);
    // The recorder sees writes: a real member is published (its whole set).
    expect(await recording.credentialProjection(ids[0]!)).toMatchObject({ id: ids[0] });
    expect(written).toEqual([kvKeys.credentialSet(setId)]);
  });

  it("issuerProjection and statusListProjection answer and refill KV; unknown → null", async () => {
    const { org } = await newIssuer();
    const issuer = await api().issuerProjection(org.slug);
    expect(issuer?.didDocument.id).toBe(`did:web:verify.example.test:issuers:${org.slug}`);
    expect(await originEnv.PROJECTIONS.get(kvKeys.issuer(org.slug))).not.toBeNull();
    expect(await api().issuerProjection("no-such-org")).toBeNull();
    const list = await api().statusListProjection(org.statusListId);
    expect(list).toMatchObject({ id: org.statusListId, orgSlug: org.slug, version: 0 });
    expect(await originEnv.PROJECTIONS.get(kvKeys.statusList(org.statusListId))).not.toBeNull();
    expect(await api().statusListProjection(crypto.randomUUID())).toBeNull();
  });

  it("recordScans adds to the stored counts and ignores malformed entries", async () => {
    const { db } = await newIssuer();
    const id = crypto.randomUUID();
    await api().recordScans({ [id]: 3, "not-a-uuid": 5, [crypto.randomUUID()]: -1 });
    await api().recordScans({ [id]: 4 });
    const [row] = await db.select().from(scanCounts).where(eq(scanCounts.credentialId, id));
    expect(row?.count).toBe(7);
  });
});
