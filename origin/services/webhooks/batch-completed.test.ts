// A batch sends one batch.completed with its counts, however its jobs are delivered: a batch of
// 1,000 through the real batch.issue consumer, each job delivered twice (at-least-once queues),
// records exactly one batch.completed event and one delivery to a subscribed endpoint. A batch of
// only bad rows, complete at once, sends one too.
import { reset } from "cloudflare:test";
import { afterEach, expect, it } from "vitest";
import { countRows } from "../../test/api.ts";
import { call, deliver, newIssuer, testEnv } from "../../test/queue-fixtures.ts";
import { drainWebhooks, hookUrl, received, webhookEnv } from "../../test/webhooks.ts";
import { createEndpoint } from "./endpoints.ts";
import { Webhook } from "standardwebhooks";
import { database } from "../../db/client.ts";
import type { Job } from "../../queues/jobs.ts";

afterEach(() => reset());

async function subscribedIssuer(name: string) {
  const issuer = await newIssuer();
  const hook = await createEndpoint(database(testEnv()), testEnv().KEY_ENCRYPTION_SECRET, issuer.org.id, { url: hookUrl(name), events: ["batch.completed"] });
  return { ...issuer, hook };
}

it("a batch of 1,000, its jobs delivered twice, records exactly one batch.completed with its counts", async () => {
  const name = `batch-${crypto.randomUUID()}`;
  const { org, achievement, hook } = await subscribedIssuer(name);
  // Jobs captured (and fed to the consumer below), webhook messages captured, loopback receivers allowed.
  // A generous database deadline: signing 1,000 credentials shares the thread with the database calls.
  const e = { ...testEnv(), ALLOW_LOCAL_HTTP_TARGETS: "true", WEBHOOKS: webhookEnv().WEBHOOKS, LIBSQL_TIMEOUT_MS: "30000" };
  const recipients = Array.from({ length: 1000 }, (_, i) => ({ name: `Learner ${i + 1}`, email: `l${i + 1}@example.org` }));
  const res = await call(e, "/v1/credentials/batch", {
    method: "POST",
    apiKey: org.apiKey,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ achievementId: achievement.id, recipients }),
  });
  expect(res.status).toBe(202);
  const { id: batchId } = (await res.json()) as { id: string };
  const jobs = (e.JOBS.take() as Job[]).filter((j) => j.type === "batch.issue");
  expect(jobs).toHaveLength(4);
  for (const job of [...jobs, ...jobs]) {
    // One job at a time, each twice (the second time as a redelivery: nothing new).
    expect((await deliver(e, [job])).retryMessages).toEqual([]);
  }

  expect(await countRows("webhook_events", "org_id = ? AND type = 'batch.completed'", [org.id])).toBe(1);
  // The endpoint takes batch.completed only: the 1,000 credential.issued nobody listens to are not stored.
  expect(await countRows("webhook_events", "org_id = ? AND type = 'credential.issued'", [org.id])).toBe(0);
  expect(await countRows("webhook_deliveries", "endpoint_id = ?", [hook.id])).toBe(1);

  await drainWebhooks(e);
  const got = await received(name);
  expect(got).toHaveLength(1);
  const payload = new Webhook(hook.secret).verify(got[0]!.body, got[0]!.headers) as { type: string; data: unknown };
  expect(payload).toMatchObject({
    type: "batch.completed",
    data: { batchId, achievementId: achievement.id, status: "completed", total: 1000, issued: 1000, failed: 0, completedAt: expect.any(String) },
  });
}, 120_000);

it("a batch of only bad rows, complete when accepted, records its batch.completed at once", async () => {
  const { org, achievement } = await subscribedIssuer(`bad-${crypto.randomUUID()}`);
  const e = testEnv();
  const res = await call(e, "/v1/credentials/batch", {
    method: "POST",
    apiKey: org.apiKey,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ achievementId: achievement.id, recipients: [{ name: "No Email", email: "not-an-email" }] }),
  });
  expect(res.status).toBe(202);
  const events = await database(e).$client.execute({ sql: "SELECT data FROM webhook_events WHERE org_id = ? AND type = 'batch.completed'", args: [org.id] });
  expect(events.rows).toHaveLength(1);
  expect(JSON.parse(String(events.rows[0]!.data))).toMatchObject({ status: "completed_with_errors", total: 1, issued: 0, failed: 1 });
});
