// Idempotency-Key on POST /v1/credentials/batch: a repeat replays, a different body is 422, and a
// repeat while the first is still running is 409 (the first is held before its batch INSERT).
import { eq, sql } from "drizzle-orm";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { batches } from "../db/schema/index.ts";
import { IDEMPOTENCY_CLAIM_LEASE_MS } from "../services/idempotency/store.ts";
import { holdDatabaseAt } from "../test/held-database.ts";
import { call, newIssuer, originEnv, testEnv } from "../test/queue-fixtures.ts";

afterEach(() => reset());

type Env = ReturnType<typeof testEnv>;

function postBatch(e: Env, apiKey: string, body: string, key: string) {
  return call(e, "/v1/credentials/batch", {
    method: "POST",
    apiKey,
    headers: { "content-type": "application/json", "idempotency-key": key },
    body,
  });
}

async function batchesOf(db: Awaited<ReturnType<typeof newIssuer>>["db"], orgId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(batches).where(eq(batches.orgId, orgId));
  return row?.n ?? 0;
}

describe("Idempotency-Key on POST /v1/credentials/batch", () => {
  it("same key with a different body → 422 IDEMPOTENCY_KEY_REUSED; nothing stored or sent for it", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const key = crypto.randomUUID();
    const body = (email: string) => JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "Ada", email }] });
    expect((await postBatch(e, org.apiKey, body("a@example.org"), key)).status).toBe(202);
    e.JOBS.take();

    const reused = await postBatch(e, org.apiKey, body("b@example.org"), key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get("content-type")).toBe("application/problem+json");
    expect(((await reused.json()) as { code: string }).code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await batchesOf(db, org.id)).toBe(1);
    expect(e.JOBS.sent).toEqual([]);
  });

  it("a repeat while the first is still running → 409 IDEMPOTENCY_KEY_IN_FLIGHT; once it finishes, a replay of it", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const key = crypto.randomUUID();
    const body = JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "Ada", email: "ada@example.org" }] });
    // The first request is held just before its batch INSERT: its key is claimed, nothing stored.
    const held = holdDatabaseAt(originEnv, /INSERT INTO batches /);
    try {
      const first = postBatch({ ...e, ...held.env }, org.apiKey, body, key);
      await held.reached;
      const repeat = await postBatch(e, org.apiKey, body, key);
      expect(repeat.status).toBe(409);
      expect(((await repeat.json()) as { code: string }).code).toBe("IDEMPOTENCY_KEY_IN_FLIGHT");
      expect(repeat.headers.get("retry-after")).toBe("1");
      expect(await batchesOf(db, org.id)).toBe(0);
      expect(e.JOBS.sent).toEqual([]);

      held.release();
      const done = await first;
      expect(done.status).toBe(202);
      const accepted = await done.text();
      expect(e.JOBS.take()).toHaveLength(1);

      const replay = await postBatch(e, org.apiKey, body, key);
      expect(replay.status).toBe(202);
      expect(replay.headers.get("idempotency-replayed")).toBe("true");
      expect(await replay.text()).toBe(accepted);
      expect(await batchesOf(db, org.id)).toBe(1);
      expect(e.JOBS.sent).toEqual([]);
    } finally {
      held.release();
    }
  });

  it("a first request slower than the claim's lease: the retry that took the key over stores the one batch, the first rolls back and answers 409", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const key = crypto.randomUUID();
    const body = JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "Ada", email: "ada@example.org" }] });
    const held = holdDatabaseAt(originEnv, /INSERT INTO batches /);
    try {
      const first = postBatch({ ...e, ...held.env }, org.apiKey, body, key);
      await held.reached;
      await db.$client.execute({
        sql: "UPDATE idempotency_keys SET created_at = created_at - ? WHERE org_id = ? AND key = ?",
        args: [IDEMPOTENCY_CLAIM_LEASE_MS + 1, org.id, key],
      });
      const retry = await postBatch(e, org.apiKey, body, key);
      expect(retry.status).toBe(202);
      const accepted = await retry.text();

      held.release();
      const late = await first;
      expect(late.status).toBe(409);
      expect(((await late.json()) as { code: string }).code).toBe("IDEMPOTENCY_KEY_IN_FLIGHT");
      expect(await batchesOf(db, org.id)).toBe(1);
      expect(e.JOBS.take()).toHaveLength(1);
      const replay = await postBatch(e, org.apiKey, body, key);
      expect(replay.headers.get("idempotency-replayed")).toBe("true");
      expect(await replay.text()).toBe(accepted);
    } finally {
      held.release();
    }
  });
});
