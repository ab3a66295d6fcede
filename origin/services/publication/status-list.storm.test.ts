// A bulk revocation of one list (docs/capacity.md): one status-list.publish job per revoked
// credential must not mean one re-sign and one write of the same KV key each (KV takes one write
// per second per key), and a KV refusal must not hold back the push to the edge's authority.
import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { kvKeys, type StatusListProjection } from "../../../shared/kv-keys.ts";
import { statusLists } from "../../db/schema/index.ts";
import { newIssuer, originEnv } from "../../test/queue-fixtures.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { publishStatusList, statusListAuthority } from "./status-list.ts";

afterEach(() => reset());

/** An org with `count` credentials on its list, and a KV binding that counts writes of the list's key. */
async function listWithCredentials(count: number) {
  const issuer = await newIssuer();
  const results = await issueCredentials(originEnv, {
    org: { id: issuer.org.id, slug: issuer.org.slug, name: issuer.org.name, url: null },
    achievement: issuer.achievement,
    recipients: Array.from({ length: count }, (_, i) => ({ name: `Graduate ${i}`, email: `g${i}@example.org` })),
    requestId: "req-storm",
  });
  const ids = results.map((r) => {
    if (!r.ok) throw new Error("issue failed");
    return r.credentialId;
  });
  const listId = issuer.org.statusListId;
  const writes: string[] = [];
  let refuse = false;
  const PROJECTIONS = new Proxy(originEnv.PROJECTIONS, {
    get(target, name) {
      if (name === "put") {
        return async (key: string, ...rest: unknown[]) => {
          if (key === kvKeys.statusList(listId)) {
            if (refuse) throw new Error("KV PUT failed: 429 Too Many Requests (test)");
            writes.push(key);
          }
          return (target.put as (...a: unknown[]) => Promise<void>).call(target, key, ...rest);
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const env = { ...originEnv, PROJECTIONS };
  return { ...issuer, ids, listId, env, writes, refuseKvWrites: (on: boolean) => (refuse = on) };
}

describe("status-list.publish under a bulk revocation", () => {
  it("N revocations then N jobs: the first job publishes them all, the others sign and write nothing", async () => {
    const { db, org, ids, listId, env, writes } = await listWithCredentials(6);
    await publishStatusList(db, env, listId); // the list as created
    writes.length = 0;
    for (const id of ids) await revokeCredential(db, org.id, id, "Issued in error");
    const outcomes = [];
    for (let i = 0; i < ids.length; i++) outcomes.push(await publishStatusList(db, env, listId));

    const [list] = await db.select().from(statusLists).where(eq(statusLists.id, listId));
    expect(outcomes[0]).toMatchObject({ version: list!.version, kv: "published", authority: "published" });
    expect(outcomes.slice(1)).toEqual(Array(ids.length - 1).fill({ version: list!.version, kv: "current", authority: "current" }));
    expect(writes).toHaveLength(1);
    const stored = await originEnv.PROJECTIONS.get<StatusListProjection>(kvKeys.statusList(listId), "json");
    expect(Object.keys(stored!.reasons ?? {})).toHaveLength(ids.length);
    expect((await statusListAuthority(originEnv, listId).current())?.version).toBe(list!.version);
  });

  it("a KV refusal (429) fails the job for a retry, but the authority already holds the revocation", async () => {
    const { db, org, ids, listId, env, refuseKvWrites } = await listWithCredentials(1);
    await publishStatusList(db, env, listId);
    await revokeCredential(db, org.id, ids[0]!, "Withdrawn");
    const [list] = await db.select().from(statusLists).where(eq(statusLists.id, listId));
    refuseKvWrites(true);
    await expect(publishStatusList(db, env, listId)).rejects.toThrow(/429/);
    const held = await statusListAuthority(originEnv, listId).current();
    expect(held?.version).toBe(list!.version);
    expect(Object.values(held?.reasons ?? {})).toEqual(["Withdrawn"]);
    // Not recorded as published, so the retry (or the reconciler) writes KV once KV accepts.
    refuseKvWrites(false);
    expect(await publishStatusList(db, env, listId)).toMatchObject({ version: list!.version, kv: "published" });
  });
});
