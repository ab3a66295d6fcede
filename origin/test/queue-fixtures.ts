// Test fixtures for the asynchronous half: orgs and achievements made through the services, an
// app whose JOBS queue captures what is sent, and a driver that feeds captured jobs through the
// real consumer (createMessageBatch/getQueueResult from cloudflare:test), as the queue would.
import { createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { kvKeys, type CredentialProjection, type CredentialSetProjection } from "../../shared/kv-keys.ts";
import { createApp } from "../app.ts";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import type { Job } from "../queues/jobs.ts";
import { consumeJobs } from "../queues/jobs.consumer.ts";
import { createAchievement } from "../services/achievements/achievements.ts";
import { createOrg } from "../services/orgs/create-org.ts";
import { testContext } from "./execution-context.ts";

export const originEnv = env as unknown as OriginEnv;

/** A Queue that keeps what is sent, for the test to deliver (or not). */
export class CapturingQueue {
  sent: Job[] = [];
  failNextSend = false;
  async send(body: Job): Promise<void> {
    this.check();
    this.sent.push(body);
  }
  async sendBatch(messages: Iterable<{ body: Job }>): Promise<void> {
    this.check();
    for (const m of messages) this.sent.push(m.body);
  }
  take(): Job[] {
    const out = this.sent;
    this.sent = [];
    return out;
  }
  private check() {
    if (this.failNextSend) {
      this.failNextSend = false;
      throw new Error("queue unavailable (test)");
    }
  }
}

/** The environment with a capturing JOBS queue; BATCHES is the same one, so tests see every job in order. */
export function testEnv(): OriginEnv & { JOBS: CapturingQueue & Queue } {
  // One capturing queue for every work queue: tests see all jobs in the order they were sent.
  const queue = new CapturingQueue() as CapturingQueue & Queue;
  return { ...originEnv, JOBS: queue, BATCHES: queue, NOTIFICATIONS: queue, PROOFS: queue };
}

let app: ReturnType<typeof createApp> | null = null;
function theApp() {
  app ??= createApp();
  return app;
}

/** Calls the origin app with `testEnv`'s bindings. */
export async function call(e: OriginEnv, path: string, init: RequestInit & { apiKey?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.apiKey) headers.set("authorization", `Bearer ${init.apiKey}`);
  const ctx = testContext();
  return theApp().fetch(new Request(`https://origin.test${path}`, { ...init, headers }), e, ctx);
}

/** A fresh org (with key, status list and API key) and one achievement. */
export async function newIssuer(name = "Queue Test University") {
  const db = database(originEnv);
  const slug = `q-${crypto.randomUUID().slice(0, 8)}`;
  const org = await createOrg(db, originEnv, { name, slug });
  const achievement = await createAchievement(db, org.id, {
    name: "Intro to Distributed Systems",
    description: "Completed the course.",
    criteria: { narrative: "Pass every lab." },
    imageUrl: "https://images.example.invalid/never-fetched.png",
  });
  return { org, achievement, db };
}

/**
 * A batch of `n` good recipients accepted through the API for a fresh issuer; returns the issuer,
 * the batch id and its batch.issue jobs (not yet delivered), with the env that captured them.
 */
export async function acceptBatch(n: number, issuerName?: string) {
  const e = testEnv();
  const issuer = await newIssuer(issuerName);
  const recipients = Array.from({ length: n }, (_, i) => ({ name: `Learner ${i + 1}`, email: `l${i + 1}@example.org` }));
  const res = await call(e, "/v1/credentials/batch", {
    method: "POST",
    apiKey: issuer.org.apiKey,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ achievementId: issuer.achievement.id, recipients }),
  });
  if (res.status !== 202) throw new Error(`batch not accepted: ${res.status} ${await res.text()}`);
  const { id: batchId } = (await res.json()) as { id: string };
  const jobs = e.JOBS.take().filter((j): j is Extract<Job, { type: "batch.issue" }> => j.type === "batch.issue");
  return { e, ...issuer, batchId, jobs };
}

let sequence = 0;

/**
 * Delivers `bodies` to `consume` as one message batch of `queue`, with `attempts`; returns the
 * queue's verdict per message, each retried message with the delay it asked for.
 */
export async function deliverTo<T>(
  queue: string,
  consume: (batch: MessageBatch<unknown>, env: OriginEnv) => Promise<void>,
  e: OriginEnv,
  bodies: T[],
  attempts = 1,
) {
  const batch = createMessageBatch<T>(queue, bodies.map((body) => ({ id: `msg-${++sequence}`, timestamp: new Date(), attempts, body })));
  // getQueueResult does not report retry delays: record them on the way.
  const delays = new Map<string, number | undefined>();
  const messages = batch.messages.map((m) => ({
    id: m.id,
    timestamp: m.timestamp,
    attempts: m.attempts,
    body: m.body,
    ack: () => m.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays.set(m.id, options?.delaySeconds);
      m.retry(options);
    },
  }));
  const ctx = testContext();
  await consume({ ...batch, queue: batch.queue, messages, ackAll: () => batch.ackAll(), retryAll: (o) => batch.retryAll(o) } as MessageBatch<unknown>, e);
  const result = await getQueueResult(batch as MessageBatch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
    /** The message ids given to `bodies`, in order. */
    ids: batch.messages.map((m) => m.id),
  };
}

/** Delivers jobs to the laurel-jobs consumer as one message batch; returns the queue's verdict per message. */
export function deliver(e: OriginEnv, jobs: Job[], attempts = 1) {
  return deliverTo("laurel-jobs", consumeJobs, e, jobs, attempts);
}

/** Jobs `drain` delivers unless told otherwise: all but credential.prove (batch proofs, ~7 ms of CPU per credential; batch-proofs.test.ts delivers them). */
export const exceptProofs = (job: Job) => job.type !== "credential.prove";

/** Feeds captured jobs through the consumer (100 per batch) until none are left; returns all delivered jobs. Jobs `filter` refuses are dropped. */
export async function drain(e: OriginEnv & { JOBS: CapturingQueue & Queue }, filter: (job: Job) => boolean = exceptProofs) {
  const delivered: Job[] = [];
  for (let round = 0; round < 50; round++) {
    const jobs = e.JOBS.take().filter(filter);
    if (jobs.length === 0) return delivered;
    for (let i = 0; i < jobs.length; i += 100) {
      const part = jobs.slice(i, i + 100);
      const result = await deliver(e, part);
      if (result.retryMessages.length > 0) throw new Error(`consumer asked to retry ${result.retryMessages.length} messages`);
      delivered.push(...part);
    }
  }
  throw new Error("jobs kept coming after 50 rounds");
}

/**
 * What KV holds for each credential, found as the edge finds it (edge/services/projections.ts):
 * in its credential set's value for a set member, else under its own key. Missing ids are absent.
 */
export async function publishedProjections(e: Pick<OriginEnv, "PROJECTIONS">, ids: readonly string[]): Promise<Map<string, CredentialProjection>> {
  const found = new Map<string, CredentialProjection>();
  const setIds = new Set(ids.map(credentialSetIdOf).filter((s): s is string => s !== null));
  for (const setId of setIds) {
    const set = await e.PROJECTIONS.get<CredentialSetProjection>(kvKeys.credentialSet(setId), "json");
    for (const c of set?.credentials ?? []) found.set(c.id, c);
  }
  for (const id of ids.filter((id) => !found.has(id))) {
    const own = await e.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(id), "json");
    if (own) found.set(id, own);
  }
  return new Map(ids.filter((id) => found.has(id)).map((id) => [id, found.get(id)!]));
}
