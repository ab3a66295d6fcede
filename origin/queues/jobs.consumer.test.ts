import { createMessageBatch, getQueueResult, reset } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { kvKeys } from "../../shared/kv-keys.ts";
import { batchRows, credentials, deadLetters } from "../db/schema/index.ts";
import { originMetrics } from "../metrics.ts";
import { batchIssueFaults } from "../services/batches/issue.ts";
import { issueCredentials } from "../services/issuance/issue.ts";
import { acceptBatch, CapturingQueue, call, deliver, newIssuer, originEnv, publishedProjections, testEnv } from "../test/queue-fixtures.ts";
import { consumeDeadLetters } from "./dead-letters.consumer.ts";
import type { Job } from "./jobs.ts";
import { testContext } from "../test/execution-context.ts";

afterEach(async () => {
  delete batchIssueFaults.afterIssue;
  await reset();
});


async function batchState(db: Awaited<ReturnType<typeof newIssuer>>["db"], batchId: string) {
  const [c] = await db
    .select({ n: sql<number>`count(*)`, slots: sql<number>`count(DISTINCT status_list_id || ':' || status_index)` })
    .from(credentials)
    .where(eq(credentials.batchId, batchId));
  const rows = await db.select({ state: batchRows.state, credentialId: batchRows.credentialId }).from(batchRows).where(eq(batchRows.batchId, batchId));
  return {
    credentials: c?.n ?? 0,
    distinctSlots: c?.slots ?? 0,
    issued: rows.filter((r) => r.state === "issued").length,
    pending: rows.filter((r) => r.state === "pending").length,
    linked: new Set(rows.map((r) => r.credentialId).filter(Boolean)).size,
  };
}

describe("batch.issue is idempotent under at-least-once delivery", () => {
  it("the same job delivered twice (one after the other, and twice at once) issues each row once", async () => {
    const { e, db, org, batchId, jobs } = await acceptBatch(300);
    expect(jobs.map((j) => [j.fromRow, j.toRow])).toEqual([
      [1, 251],
      [251, 501],
    ]);
    const first = await deliver(e, [jobs[0]!]);
    expect(first.explicitAcks.length).toBe(1);
    const again = await deliver(e, [jobs[0]!], 2);
    expect(again.explicitAcks.length).toBe(1);
    // The second range arrives twice in one batch.
    await deliver(e, [jobs[1]!, jobs[1]!]);
    expect(await batchState(db, batchId)).toEqual({ credentials: 300, distinctSlots: 300, issued: 300, pending: 0, linked: 300 });
    const progress = await call(e, `/v1/batches/${batchId}`, { apiKey: org.apiKey });
    expect(await progress.json()).toMatchObject({ status: "completed", total: 300, issued: 300, failed: 0 });
  });

  it("a consumer that dies mid-chunk is redelivered and ends with exactly N credentials, every row issued", async () => {
    const { e, db, org, batchId, jobs } = await acceptBatch(250);
    let crashes = 0;
    batchIssueFaults.afterIssue = (_job, slice) => {
      if (slice === 1 && crashes++ === 0) throw new Error("isolate killed (test)");
    };
    const crashed = await deliver(e, jobs);
    expect(crashed.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: 2 }]);
    const half = await batchState(db, batchId);
    // Both slices were signed and inserted, but only the first was published and marked.
    expect(half).toMatchObject({ credentials: 250, issued: 125, pending: 125 });
    const all = await db.select({ id: credentials.id }).from(credentials).where(eq(credentials.batchId, batchId));
    const inKv = async () => (await publishedProjections(e, all.map((c) => c.id))).size;
    expect(await inKv()).toBe(125);

    const redelivered = await deliver(e, jobs, 2);
    expect(redelivered.explicitAcks.length).toBe(1);
    expect(await batchState(db, batchId)).toEqual({ credentials: 250, distinctSlots: 250, issued: 250, pending: 0, linked: 250 });
    // Every credential is in KV (the crashed slice's, found again on the redelivery, too).
    expect(await inKv()).toBe(250);
    expect(e.JOBS.take().filter((j) => j.type === "credential.publish")).toEqual([]);
    const progress = await call(e, `/v1/batches/${batchId}`, { apiKey: org.apiKey });
    expect(await progress.json()).toMatchObject({ status: "completed", issued: 250, failed: 0 });
  });

  it("the batch completes exactly once, by whichever chunk finishes last", async () => {
    const { e, db, batchId, jobs } = await acceptBatch(600);
    expect(jobs.length).toBe(3);
    await deliver(e, [jobs[2]!, jobs[0]!]);
    const mid = await db.query.batches.findFirst({ where: (b, { eq }) => eq(b.id, batchId) });
    expect(mid?.status).toBe("running");
    await deliver(e, [jobs[1]!]);
    const done = await db.query.batches.findFirst({ where: (b, { eq }) => eq(b.id, batchId) });
    expect(done?.status).toBe("completed");
    const completedAt = done?.completedAt?.getTime();
    await deliver(e, [jobs[1]!], 3); // a late duplicate changes nothing
    const later = await db.query.batches.findFirst({ where: (b, { eq }) => eq(b.id, batchId) });
    expect(later?.completedAt?.getTime()).toBe(completedAt);
  });

  it("a row issued before credential sets existed (a version 4 id) is published under its own key on redelivery", async () => {
    const { e, db, org, achievement, batchId, jobs } = await acceptBatch(3);
    const [row1] = await db.select().from(batchRows).where(sql`${batchRows.batchId} = ${batchId} AND ${batchRows.row} = 1`);
    // What a consumer of the previous release left behind: row 1 issued (random UUID), not yet published.
    const [legacy] = await issueCredentials(e, {
      org: { ...org, url: null },
      achievement,
      recipients: [{ name: row1!.name!, email: row1!.email!, batchId, batchRow: 1 }],
      requestId: "r-legacy",
    });
    if (!legacy?.ok) throw new Error("legacy issue failed");
    expect(credentialSetIdOf(legacy.credentialId)).toBeNull();
    await deliver(e, jobs);
    const issued = await db.select({ id: credentials.id, row: credentials.batchRow }).from(credentials).where(eq(credentials.batchId, batchId));
    expect(issued.map((c) => c.row).sort()).toEqual([1, 2, 3]);
    expect(issued.find((c) => c.row === 1)?.id).toBe(legacy.credentialId);
    expect(await e.PROJECTIONS.get(kvKeys.credential(legacy.credentialId))).not.toBeNull();
    expect((await publishedProjections(e, issued.map((c) => c.id))).size).toBe(3);
    expect(await batchState(db, batchId)).toMatchObject({ credentials: 3, issued: 3, pending: 0 });
  });

  it("a row refused at issue time ends failed with its reason; its neighbours are issued", async () => {
    const { e, db, org, batchId, jobs } = await acceptBatch(5);
    // Valid when accepted, expired by the time the consumer runs (a queue backlog of days).
    await db
      .update(batchRows)
      .set({ validUntil: "2001-01-01T00:00:00Z" })
      .where(sql`${batchRows.batchId} = ${batchId} AND ${batchRows.row} = 3`);
    await deliver(e, jobs);
    const rows = await db.select().from(batchRows).where(eq(batchRows.batchId, batchId)).orderBy(batchRows.row);
    expect(rows.map((r) => [r.row, r.state, r.errorCode])).toEqual([
      [1, "issued", null],
      [2, "issued", null],
      [3, "failed", "INVALID_VALID_UNTIL"],
      [4, "issued", null],
      [5, "issued", null],
    ]);
    expect(rows[2]!.errorDetail).toMatch(/validUntil/);
    const issued = await db.select({ id: credentials.id, row: credentials.batchRow }).from(credentials).where(eq(credentials.batchId, batchId));
    expect(new Map(rows.filter((r) => r.credentialId).map((r) => [r.row, r.credentialId]))).toEqual(new Map(issued.map((c) => [c.row, c.id])));
    const progress = await call(e, `/v1/batches/${batchId}`, { apiKey: org.apiKey });
    expect(await progress.json()).toMatchObject({ status: "completed_with_errors", issued: 4, failed: 1, errors: [{ row: 3, code: "INVALID_VALID_UNTIL" }] });
  });
});

describe("failures retry with backoff; what never succeeds is dead-lettered", () => {
  it("retries a failing job with delay min(2^attempts, 300) s", async () => {
    const e = testEnv();
    for (const [attempts, delay] of [
      [1, 2],
      [3, 8],
      [9, 300],
    ] as const) {
      const result = await deliver(e, [{ type: "status-list.publish", statusListId: crypto.randomUUID(), requestId: "req-retry" }], attempts);
      expect(result.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: delay }]);
      expect(result.explicitAcks).toEqual([]);
    }
  });

  it("a message that is not a job goes straight to the dead-letter queue", async () => {
    const e = { ...testEnv(), DEAD_LETTERS: new CapturingQueue() as unknown as Queue };
    const result = await deliver(e, [{ type: "no.such.job", requestId: "r" } as unknown as Job]);
    expect(result.explicitAcks.length).toBe(1);
    expect((e.DEAD_LETTERS as unknown as CapturingQueue).sent).toEqual([{ type: "no.such.job", requestId: "r" }]);
  });

  it("the dead-letter consumer stores, counts and acks each message once, even when delivered twice", async () => {
    const { db } = await newIssuer();
    const messageId = `dlq-${crypto.randomUUID()}`;
    const body = { type: "credential.publish", credentialId: crypto.randomUUID(), requestId: "req-dead" };
    const before = await metric("laurel_dead_letters_total");
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch("laurel-jobs-dlq", [{ id: messageId, timestamp: new Date(), attempts: 1, body }]);
      const ctx = testContext();
      await consumeDeadLetters(batch, originEnv);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([messageId]);
    }
    const stored = await db.select().from(deadLetters).where(eq(deadLetters.messageId, messageId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ queue: "laurel-jobs-dlq", jobType: "credential.publish", requestId: "req-dead" });
    expect(JSON.parse(stored[0]!.body)).toEqual(body);
    expect(await metric("laurel_dead_letters_total")).toBe(before + 1);
    expect(await metric("laurel_dead_letters")).toBeGreaterThanOrEqual(1);
  });
});

async function metric(name: string): Promise<number> {
  const { queueFigureLines, readQueueFigures } = await import("../ops/queue-figures.ts");
  const text = (await originMetrics.render()) + queueFigureLines(await readQueueFigures(originEnv)).join("\n");
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}
