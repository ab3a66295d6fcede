// A database that stops answering (the test run's libSQL server behind a proxy that holds every
// request, as a paused server would): every route answers 503 DATABASE_UNAVAILABLE with
// Retry-After instead of hanging, /healthz reports the database down, queue jobs are retried
// later, and once the database answers again the same Idempotency-Key issues exactly one credential.
import { waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createApp } from "../app.ts";
import { call, countRows, credentialBody, issue, makeAchievement, makeOrg, problem, testEnv, type TestOrg } from "../test/api.ts";
import { deliver } from "../test/queue-fixtures.ts";
import { DATABASE_OUTAGE_RETRY_SECONDS } from "../queues/jobs.consumer.ts";
import type { OriginEnv } from "../env.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "./deadline.ts";
import { testContext } from "../test/execution-context.ts";

const proxyUrl = inject("stallingLibsqlUrl");
// A short deadline keeps the file quick; the 503 mapping is the same as with the default.
const stalledDb: Partial<OriginEnv> = { LIBSQL_URL: proxyUrl, LIBSQL_TIMEOUT_MS: "1500" };
const control = (action: "stall" | "resume", from?: string) =>
  fetch(`${proxyUrl}/__${action}${from ? `?from=${encodeURIComponent(from)}` : ""}`, { method: "POST" });

afterEach(async () => {
  await control("resume");
});

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
  const body = await problem(res);
  expect(body.code).toBe("DATABASE_UNAVAILABLE");
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
}

// Once resumed, the proxy delivers the held requests first; a loaded machine may need more than
// the short deadline for them, so calls after a resume get the default deadline's room.
const resumedDb: Partial<OriginEnv> = { LIBSQL_URL: proxyUrl, LIBSQL_TIMEOUT_MS: "10000" };

function issueVia(org: TestOrg, body: unknown, key: string, env = stalledDb): Promise<Response> {
  return call("/v1/credentials", { method: "POST", token: org.apiKey, json: body, headers: { "idempotency-key": key } }, env);
}

describe("a database that does not answer", () => {
  it("/healthz answers 503 with the database down, and 200 again once it answers", async () => {
    await control("stall");
    const down = await call("/healthz", {}, stalledDb);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { database: { ok: boolean } }).database.ok).toBe(false);
    await control("resume");
    const up = await call("/healthz", {}, stalledDb);
    expect(up.status).toBe(200);
  });

  it("reads, admin calls and issuance answer 503 DATABASE_UNAVAILABLE with Retry-After", async () => {
    const org = await makeOrg("dbdown");
    const achievement = await makeAchievement(org);
    await control("stall");
    await expectUnavailable(await call("/v1/credentials?limit=5", { token: org.apiKey }, stalledDb));
    await expectUnavailable(await call(`/v1/achievements`, { method: "POST", token: org.apiKey, json: { name: "x", description: "y", criteria: { narrative: "z" } } }, stalledDb));
    await expectUnavailable(await call("/v1/orgs", { method: "POST", token: "test-admin-token", json: { name: "Down", slug: `down-${crypto.randomUUID().slice(0, 8)}` } }, stalledDb));
    await expectUnavailable(await issueVia(org, credentialBody(achievement.id), crypto.randomUUID()));
  }, 30_000);

  it("after the database is back, retrying the same Idempotency-Key issues exactly one credential", async () => {
    const org = await makeOrg("dbback");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);

    await control("stall");
    await expectUnavailable(await issueVia(org, body, key));
    await expectUnavailable(await issueVia(org, body, key));
    // Resuming delivers the held requests late (the claim among them), as a paused server would.
    await control("resume");

    // Retry as a client would: 409 while an abandoned claim still holds the key, 503 while the
    // database is still catching up with the held requests (the deadline here is short), then 201.
    const deadline = Date.now() + 60_000;
    let res = await issueVia(org, body, key, resumedDb);
    while ((res.status === 409 || res.status === 503) && Date.now() < deadline) {
      expect((await problem(res)).code).toMatch(/^(IDEMPOTENCY_KEY_IN_FLIGHT|DATABASE_UNAVAILABLE)$/);
      await new Promise((r) => setTimeout(r, 1000));
      res = await issueVia(org, body, key, resumedDb);
    }
    expect(res.status).toBe(201);
    const first = (await res.json()) as { id: string };
    const replay = await issueVia(org, body, key, resumedDb);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(first.id);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(1);
  }, 90_000);

  it("a stall after the claim: the 503 does not wait for the release, and the key is not stuck", async () => {
    const org = await makeOrg("dbrelease");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    // The claim goes through; the database stops answering at the issuance's insert.
    await control("stall", "INSERT INTO credentials");
    const ctx = testContext();
    const request = new Request("https://origin.test/v1/credentials", {
      method: "POST",
      headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    });
    await expectUnavailable(await createApp().fetch(request, { ...testEnv, ...stalledDb } as OriginEnv, ctx));
    await control("resume"); // the held insert reaches the database late, with the release
    await waitOnExecutionContext(ctx);
    const deadline = Date.now() + 60_000;
    let retry = await issue(org, body, key);
    while (retry.status === 409 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      retry = await issue(org, body, key);
    }
    // Whether the held insert landed late (the retry replays it) or was undone (the retry issues):
    // one credential, and the answer names it.
    expect(retry.status).toBe(201);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(1);
    const { id } = (await retry.json()) as { id: string };
    expect(await countRows("credentials", "id = ?", [id])).toBe(1);
  }, 90_000);

  it("a publication job facing a silent database is retried with a delay, not acked or dead-lettered", async () => {
    await control("stall");
    const result = await deliver({ ...testEnv, ...stalledDb } as OriginEnv, [
      { type: "issuer.publish", orgId: crypto.randomUUID(), requestId: "req-db-down" },
    ]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    // An outage is waited out with at least DATABASE_OUTAGE_RETRY_SECONDS between attempts.
    expect(result.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(DATABASE_OUTAGE_RETRY_SECONDS);
  });
});
