import { eq, sql } from "drizzle-orm";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { kvKeys } from "../../shared/kv-keys.ts";
import { batchRows, batches, credentials } from "../db/schema/index.ts";
import type { Job } from "../queues/jobs.ts";
import { call, drain, newIssuer, publishedProjections, testEnv } from "../test/queue-fixtures.ts";

afterEach(() => reset());

type Progress = { id: string; status: string; total: number; issued: number; failed: number; errors: { row: number; code: string; detail: string }[] };

async function progress(e: ReturnType<typeof testEnv>, apiKey: string, id: string): Promise<Progress> {
  const res = await call(e, `/v1/batches/${id}`, { apiKey });
  expect(res.status).toBe(200);
  return res.json();
}

function postBatch(e: ReturnType<typeof testEnv>, apiKey: string, body: string, opts: { csv?: string; key?: string } = {}) {
  return call(e, `/v1/credentials/batch${opts.csv ? `?achievementId=${opts.csv}` : ""}`, {
    method: "POST",
    apiKey,
    headers: { "content-type": opts.csv ? "text/csv" : "application/json", "idempotency-key": opts.key ?? crypto.randomUUID() },
    body,
  });
}

describe("POST /v1/credentials/batch (JSON)", () => {
  it("answers 202 at once, records bad rows with their row numbers and issues the good ones", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const recipients = [
      { name: "Ada Lovelace", email: "ada@example.org" },
      { name: "", email: "nobody@example.org" },
      { name: "Alan Turing", email: "alan@example.org", validUntil: "2040-01-01T00:00:00Z" },
      { name: "Bad Email", email: "not-an-email" },
      { name: "Past", email: "past@example.org", validUntil: "2001-01-01T00:00:00Z" },
      { name: "Grace Hopper", email: "GRACE@example.org" },
    ];
    const res = await postBatch(e, org.apiKey, JSON.stringify({ achievementId: achievement.id, recipients }));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; status: string; total: number };
    expect(accepted).toMatchObject({ status: "queued", total: 6 });

    const before = await progress(e, org.apiKey, accepted.id);
    expect(before).toMatchObject({ status: "queued", issued: 0, failed: 3 });
    expect(before.errors.map((x) => [x.row, x.code])).toEqual([
      [2, "MISSING_NAME"],
      [4, "INVALID_EMAIL"],
      [5, "INVALID_VALID_UNTIL"],
    ]);

    const delivered = await drain(e);
    const after = await progress(e, org.apiKey, accepted.id);
    expect(after).toMatchObject({ status: "completed_with_errors", total: 6, issued: 3, failed: 3 });

    const issued = await db.select().from(credentials).where(eq(credentials.batchId, accepted.id));
    expect(issued.map((c) => c.batchRow).sort()).toEqual([1, 3, 6]);
    expect(issued.find((c) => c.batchRow === 6)?.recipientEmail).toBe("grace@example.org");
    expect(issued.find((c) => c.batchRow === 3)?.validUntil).toBe("2040-01-01T00:00:00Z");
    const rows = await db.select().from(batchRows).where(eq(batchRows.batchId, accepted.id));
    for (const row of rows.filter((r) => r.state === "issued")) {
      expect(issued.some((c) => c.id === row.credentialId)).toBe(true);
    }

    // Each new credential was published by the batch job itself: in its slice's credential set
    // (one KV value, ids sharing the set id), with its achievement's badge image (the edge bakes
    // the JWT into it); no publish job and no KV value per credential.
    expect(delivered.filter((j) => j.type === "credential.publish")).toEqual([]);
    expect(await e.PROJECTIONS.get(kvKeys.achievementBadgePng(achievement.id), "arrayBuffer")).not.toBeNull();
    expect(new Set(issued.map((c) => credentialSetIdOf(c.id))).size).toBe(1);
    const published = await publishedProjections(e, issued.map((c) => c.id));
    for (const c of issued) {
      expect(await e.PROJECTIONS.get(kvKeys.credential(c.id))).toBeNull();
      const projection = published.get(c.id);
      expect(projection?.jwt).toBe(c.jwt);
      expect(projection?.version).toBe(c.issuedAt.getTime());
      expect(await e.PROJECTIONS.get(kvKeys.badgePng(c.id), "arrayBuffer")).toBeNull();
    }
  });
});

describe("POST /v1/credentials/batch (CSV)", () => {
  it("reads a BOM, quoted fields and date-only validUntil; reports bad rows by row number", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const csv =
      "\uFEFFName,Email,validUntil\r\n" +
      '"Lovelace, Ada",ada@example.org,2039-12-31\r\n' +
      "Charles Babbage,charles@example.org,\r\n" +
      ",missing@example.org,\r\n" +
      "Broken Date,broken@example.org,next tuesday\r\n" +
      '"Hopper ""Amazing"" Grace",grace@example.org,\r\n';
    const res = await postBatch(e, org.apiKey, csv, { csv: achievement.id });
    expect(res.status).toBe(202);
    const { id, total } = (await res.json()) as { id: string; total: number };
    expect(total).toBe(5);
    await drain(e);
    const after = await progress(e, org.apiKey, id);
    expect(after).toMatchObject({ status: "completed_with_errors", issued: 3, failed: 2 });
    expect(after.errors).toEqual([
      { row: 3, code: "MISSING_NAME", detail: "name is missing (line 4)" },
      { row: 4, code: "INVALID_VALID_UNTIL", detail: expect.stringContaining("line 5") },
    ]);
    const issued = await db.select().from(credentials).where(eq(credentials.batchId, id));
    const names = Object.fromEntries(issued.map((c) => [c.batchRow, c]));
    expect(names[1]).toMatchObject({ recipientName: "Lovelace, Ada", validUntil: "2039-12-31T00:00:00Z" });
    expect(names[5]?.recipientName).toBe('Hopper "Amazing" Grace');
  });

  it("a batch of only bad rows is complete at once and sends no jobs", async () => {
    const e = testEnv();
    const { org, achievement } = await newIssuer();
    const res = await postBatch(e, org.apiKey, "name,email\nNo Email,\n", { csv: achievement.id });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string };
    expect(body.status).toBe("completed_with_errors");
    expect(e.JOBS.sent).toEqual([]);
    expect(await progress(e, org.apiKey, body.id)).toMatchObject({ issued: 0, failed: 1, errors: [{ row: 1, code: "MISSING_EMAIL" }] });
  });
});

describe("a 10,000-recipient batch", () => {
  it("issues exactly 10,000 credentials with distinct status indexes; a repeat with the same key issues none", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const recipients = Array.from({ length: 10_000 }, (_, i) => ({ name: `Learner ${i + 1}`, email: `learner${i + 1}@example.org` }));
    const body = JSON.stringify({ achievementId: achievement.id, recipients });
    const key = crypto.randomUUID();
    const res = await postBatch(e, org.apiKey, body, { key });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const jobs = e.JOBS.take();
    expect(jobs.length).toBe(40);
    e.JOBS.sent.push(...jobs);

    // Issue (and publish) through the consumer.
    const delivered = await drain(e);
    expect(delivered.filter((j) => j.type === "credential.publish")).toEqual([]);

    expect(await progress(e, org.apiKey, id)).toMatchObject({ status: "completed", total: 10_000, issued: 10_000, failed: 0, errors: [] });
    const [counts] = await db
      .select({ n: sql<number>`count(*)`, slots: sql<number>`count(DISTINCT status_list_id || ':' || status_index)`, rows: sql<number>`count(DISTINCT batch_row)` })
      .from(credentials)
      .where(eq(credentials.batchId, id));
    expect(counts).toEqual({ n: 10_000, slots: 10_000, rows: 10_000 });
    const ids = await db.select({ id: credentials.id }).from(credentials).where(eq(credentials.batchId, id));
    expect((await publishedProjections(e, ids.map((c) => c.id))).size).toBe(10_000);

    const again = await postBatch(e, org.apiKey, body, { key });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(id);
    expect(e.JOBS.sent).toEqual([]);
    const [orgBatches] = await db.select({ n: sql<number>`count(*)` }).from(batches).where(eq(batches.orgId, org.id));
    expect(orgBatches?.n).toBe(1);
    const [all] = await db.select({ n: sql<number>`count(*)` }).from(credentials).where(eq(credentials.orgId, org.id));
    expect(all?.n).toBe(10_000);
  }, 120_000);
});
