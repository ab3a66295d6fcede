// key.resign chunks end on a credential set's boundary (docs/capacity.md): a set split over two
// chunks run back to back had its KV value written twice within about a second, which KV refuses
// (one write per second per key).
import { reset } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSetIdOf } from "../../../shared/credential-sets.ts";
import { credentials } from "../../db/schema/index.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { call, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { RESIGN_CHUNK, resignChunk } from "./resign.ts";

afterEach(() => reset());

/** originEnv with a KV binding that records the keys it is asked to write. */
function countingKv() {
  const writes: string[] = [];
  const PROJECTIONS = new Proxy(originEnv.PROJECTIONS, {
    get(target, name) {
      if (name === "put") {
        return (key: string, ...rest: unknown[]) => {
          writes.push(key);
          return (target.put as (...a: unknown[]) => Promise<void>).call(target, key, ...rest);
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...originEnv, PROJECTIONS }, writes };
}

describe("key.resign and credential sets", () => {
  it("the chunk that reaches a set finishes it, so the set's KV value is written once per pass", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer("Set Boundary College");
    const orgRecord = { id: org.id, slug: org.slug, name: org.name, url: null };
    const recipients = Array.from({ length: RESIGN_CHUNK + 30 }, (_, i) => ({ name: `Learner ${i}`, email: `l${i}@example.org` }));
    const issued = await issueCredentials(originEnv, { org: orgRecord, achievement, recipients, requestId: "req-t", inSet: true });
    const setId = credentialSetIdOf(issued[0]!.ok ? issued[0]!.credentialId : "")!;
    expect(setId).toBeTruthy();

    const listed = (await (await call(e, "/v1/keys", { apiKey: org.apiKey })).json()) as { kid: string }[];
    const kid = listed[0]!.kid;
    const revoked = await call(e, `/v1/keys/${encodeURIComponent(kid)}/revoke`, {
      method: "POST",
      apiKey: org.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "leaked" }),
    });
    expect(revoked.status).toBe(202);

    const { env, writes } = countingKv();
    const job = { type: "key.resign" as const, orgId: org.id, kid, requestId: "req-t" };
    const first = await resignChunk(db, env, job);
    expect(first.resigned).toBe(RESIGN_CHUNK + 30); // more than RESIGN_CHUNK: the whole set
    const stillOld = await db.select({ id: credentials.id }).from(credentials).where(and(eq(credentials.orgId, org.id), eq(credentials.kid, kid)));
    expect(stillOld).toEqual([]);
    expect(first.next?.job).toMatchObject({ after: expect.any(String) });

    const second = await resignChunk(db, env, first.next!.job);
    expect(second).toMatchObject({ resigned: 0, published: 0 });
    expect(writes.filter((key) => key.includes(setId) && !key.endsWith(":proof"))).toHaveLength(1);
    // The set's members' Data Integrity proofs (signed by the revoked pair) are re-signed once each.
    expect(writes.filter((key) => key.includes(setId) && key.endsWith(":proof"))).toHaveLength(RESIGN_CHUNK + 30);
  }, 60_000);
});
