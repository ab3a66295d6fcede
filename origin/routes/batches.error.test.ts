import { eq, sql } from "drizzle-orm";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { batchRows, batches } from "../db/schema/index.ts";
import { call, newIssuer, testEnv } from "../test/queue-fixtures.ts";

afterEach(() => reset());

async function countBatches(db: Awaited<ReturnType<typeof newIssuer>>["db"], orgId: string) {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(batches).where(eq(batches.orgId, orgId));
  return row?.n ?? 0;
}

function post(e: ReturnType<typeof testEnv>, apiKey: string, body: string, contentType: string, query = "", key: string | null = crypto.randomUUID()) {
  const headers: Record<string, string> = { "content-type": contentType };
  if (key) headers["idempotency-key"] = key;
  return call(e, `/v1/credentials/batch${query}`, { method: "POST", apiKey, headers, body });
}

describe("refused batches write nothing", () => {
  it.each([
    ["a missing email column", "name,validUntil\nAda,2030-01-01\n", "CSV_COLUMNS", /missing email/],
    ["an unknown column", "name,email,grade\nAda,ada@example.org,A\n", "CSV_COLUMNS", /unknown "grade"/],
    ["an unclosed quote", 'name,email\nAda,ada@example.org\n"Bob,bob@example.org\nCy,cy@example.org\n', "CSV_MALFORMED", /line 3/],
    ["a stray quote inside a field", 'name,email\nAda,ada@exa"mple.org\n', "CSV_MALFORMED", /line 2/],
    ["a header and no rows", "name,email\n", "EMPTY_BATCH", /no rows/],
  ])("CSV with %s → 400 %s", async (_, csv, code, detail) => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const res = await post(e, org.apiKey, csv, "text/csv", `?achievementId=${achievement.id}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe(code);
    expect(problem.detail).toMatch(detail);
    expect(await countBatches(db, org.id)).toBe(0);
    expect(e.JOBS.sent).toEqual([]);
  });

  it("an unknown (or another org's) achievement → 404, nothing written", async () => {
    const e = testEnv();
    const { org, db } = await newIssuer();
    const other = await newIssuer();
    for (const achievementId of [crypto.randomUUID(), other.achievement.id, "not-a-uuid"]) {
      const res = await post(e, org.apiKey, JSON.stringify({ achievementId, recipients: [{ name: "A", email: "a@example.org" }] }), "application/json");
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe("ACHIEVEMENT_NOT_FOUND");
    }
    const csv = await post(e, org.apiKey, "name,email\nA,a@example.org\n", "text/csv", `?achievementId=${other.achievement.id}`);
    expect(csv.status).toBe(404);
    expect(await countBatches(db, org.id)).toBe(0);
  });

  it("more than 10,000 recipients → 413 TOO_MANY_RECIPIENTS (JSON and CSV)", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const recipients = Array.from({ length: 10_001 }, (_, i) => ({ name: `L${i}`, email: `l${i}@example.org` }));
    const json = await post(e, org.apiKey, JSON.stringify({ achievementId: achievement.id, recipients }), "application/json");
    expect(json.status).toBe(413);
    expect(((await json.json()) as { code: string }).code).toBe("TOO_MANY_RECIPIENTS");
    const csvBody = "name,email\n" + recipients.map((r) => `${r.name},${r.email}`).join("\n");
    const csv = await post(e, org.apiKey, csvBody, "text/csv", `?achievementId=${achievement.id}`);
    expect(csv.status).toBe(413);
    expect(await countBatches(db, org.id)).toBe(0);
  });

  it("a body over 5 MB → 413 PAYLOAD_TOO_LARGE", async () => {
    const e = testEnv();
    const { org, achievement } = await newIssuer();
    const res = await post(e, org.apiKey, "name,email\n" + "x".repeat(5 * 1024 * 1024), "text/csv", `?achievementId=${achievement.id}`);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("requires Idempotency-Key, a known media type and achievementId for CSV", async () => {
    const e = testEnv();
    const { org, achievement } = await newIssuer();
    const body = JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "A", email: "a@example.org" }] });
    const noKey = await post(e, org.apiKey, body, "application/json", "", null);
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { code: string }).code).toBe("IDEMPOTENCY_KEY_MISSING");
    expect((await post(e, org.apiKey, body, "text/plain")).status).toBe(415);
    const noAchievement = await post(e, org.apiKey, "name,email\nA,a@example.org\n", "text/csv");
    expect(noAchievement.status).toBe(400);
    expect((await post(e, org.apiKey, "{not json", "application/json")).status).toBe(400);
    expect(e.JOBS.sent).toEqual([]);
  });

  it("when the queue refuses the jobs, the batch is removed and the answer is 503", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    e.JOBS.failNextSend = true;
    const key = crypto.randomUUID();
    const body = JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "A", email: "a@example.org" }] });
    const res = await post(e, org.apiKey, body, "application/json", "", key);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe("QUEUE_UNAVAILABLE");
    expect(await countBatches(db, org.id)).toBe(0);
    const [rows] = await db.select({ n: sql<number>`count(*)` }).from(batchRows).innerJoin(batches, eq(batches.id, batchRows.batchId)).where(eq(batches.orgId, org.id));
    expect(rows?.n).toBe(0);
    // The answer stored with the batch was undone with it: a retry with the same key runs afresh.
    const retry = await post(e, org.apiKey, body, "application/json", "", key);
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotency-replayed")).toBeNull();
    expect(await countBatches(db, org.id)).toBe(1);
  });
});

describe("GET /v1/batches/:id", () => {
  it("is scoped to the org: another org's batch (and a malformed id) answer 404", async () => {
    const e = testEnv();
    const owner = await newIssuer();
    const stranger = await newIssuer();
    const res = await post(e, owner.org.apiKey, JSON.stringify({ achievementId: owner.achievement.id, recipients: [{ name: "A", email: "a@example.org" }] }), "application/json");
    const { id } = (await res.json()) as { id: string };
    expect((await call(e, `/v1/batches/${id}`, { apiKey: owner.org.apiKey })).status).toBe(200);
    expect((await call(e, `/v1/batches/${id}`, { apiKey: stranger.org.apiKey })).status).toBe(404);
    expect((await call(e, `/v1/batches/nope`, { apiKey: owner.org.apiKey })).status).toBe(404);
    expect((await call(e, `/v1/batches/${id}`)).status).toBe(401);
  });
});
