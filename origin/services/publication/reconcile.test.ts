// The publication reconciler against the real database, KV and the edge's StatusListAuthority:
// what the database says must be published reaches the edge even when the queue loses the job.
// The database is shared by the whole test run, so other files' unpublished rows are in it too:
// tests loop over reconciler runs until their own target is done, and assert only on their own rows.
import { createMessageBatch, createScheduledController, getQueueResult, reset, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { kvKeys, type CredentialProjection, type IssuerProjection } from "../../../shared/kv-keys.ts";
import { createLogger } from "../../../shared/observability/logger.ts";
import { decodeStatusList, getBit } from "../../../shared/status-list/index.ts";
import { credentialPublications, deadLetters, orgs, signingKeys, statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import worker from "../../index.ts";
import { consumeDeadLetters } from "../../queues/dead-letters.consumer.ts";
import type { Job } from "../../queues/jobs.ts";
import { call, drain, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { redriveDeadLetters } from "../jobs/redrive.ts";
import { rotateSigningKey } from "../signing/signing-keys.ts";
import { QUEUE_GRACE_MS } from "./outbox.ts";
import { reconcilePublications } from "./reconcile.ts";
import { publishStatusList, statusListAuthority } from "./status-list.ts";
import { testContext } from "../../test/execution-context.ts";

// Each reconciler run publishes other files' backlog too (the database is shared): generous deadlines.
vi.setConfig({ testTimeout: 120_000 });

afterEach(() => reset());

const log = createLogger({ service: "origin", operation: "reconcile.test" });

/** A queue that refuses every send, as Cloudflare Queues does during an outage. */
const brokenQueue = {
  async send() {
    throw new Error("queue unavailable (test)");
  },
  async sendBatch() {
    throw new Error("queue unavailable (test)");
  },
} as unknown as Queue;

/** Runs the Worker's scheduled handler for the every-minute cron, as Cloudflare would. */
async function runEveryMinuteCron(): Promise<void> {
  const ctx = testContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), originEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** Runs the cron until `done` holds (other files' backlog may need a few runs); fails after 30. */
async function cronUntil(done: () => Promise<boolean>): Promise<number> {
  for (let run = 1; run <= 30; run++) {
    await runEveryMinuteCron();
    if (await done()) return run;
  }
  throw new Error("the reconciler did not publish within 30 runs");
}

/** Whether the edge's authority for the list holds the credential's bit set, at least at `version`. */
async function revokedAtEdge(listId: string, index: number, version: number): Promise<boolean> {
  const held = await statusListAuthority(originEnv, listId).current();
  if (!held || held.version < version) return false;
  const subject = decodeJwt(held.jwt).credentialSubject as { encodedList: string };
  return getBit(await decodeStatusList(subject.encodedList), index);
}

/** POST /v1/credentials for one recipient of `issuer`'s achievement; the new credential's id. */
async function issueOne(e: OriginEnv, issuer: Awaited<ReturnType<typeof newIssuer>>, name: string): Promise<string> {
  const res = await call(e, "/v1/credentials", {
    method: "POST",
    apiKey: issuer.org.apiKey,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ achievementId: issuer.achievement.id, recipient: { name, email: `${name.split(" ")[0]!.toLowerCase()}@example.org` } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** An org whose status list is on the edge (as after its creation job), and one issued credential, all published. */
async function publishedCredential() {
  const issuer = await newIssuer();
  await publishStatusList(issuer.db, originEnv, issuer.org.statusListId);
  const e = testEnv();
  const id = await issueOne(e, issuer, "Ada Lovelace");
  await drain(e);
  const [stored] = await issuer.db.select().from(statusLists).where(eq(statusLists.id, issuer.org.statusListId));
  return { ...issuer, credentialId: id, listVersion: stored!.version };
}

async function outboxRow(db: Awaited<ReturnType<typeof newIssuer>>["db"], credentialId: string) {
  const [row] = await db.select().from(credentialPublications).where(eq(credentialPublications.credentialId, credentialId));
  return row ?? null;
}

describe("a revocation whose queue send fails", () => {
  it("answers 200 revoked, and the next reconciler run shows it at the edge (status list and projection)", async () => {
    const { db, org, credentialId, listVersion } = await publishedCredential();
    const { statusIndex } = (await (await call(testEnv(), `/v1/credentials/${credentialId}`, { apiKey: org.apiKey })).json()) as { statusIndex: number };
    expect(await outboxRow(db, credentialId)).toBeNull(); // the issuance job published it and cleared the row

    const res = await call({ ...testEnv(), JOBS: brokenQueue }, `/v1/credentials/${credentialId}/revoke`, {
      method: "POST",
      apiKey: org.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "Issued in error" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: credentialId, status: "revoked", revocationReason: "Issued in error" });

    // The database says what is owed; the edge still shows the credential as valid.
    const [list] = await db.select().from(statusLists).where(eq(statusLists.id, org.statusListId));
    expect(list).toMatchObject({ version: listVersion + 1, publishedVersion: listVersion });
    expect(await outboxRow(db, credentialId)).toMatchObject({ dueAt: 0 }); // the failed send made it due at once
    expect(await revokedAtEdge(org.statusListId, statusIndex, 0)).toBe(false);
    expect((await originEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(credentialId), "json"))?.revocation).toBeUndefined();

    await cronUntil(async () => (await revokedAtEdge(org.statusListId, statusIndex, listVersion + 1)) && (await outboxRow(db, credentialId)) === null);

    const projection = await originEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(credentialId), "json");
    expect(projection?.revocation).toMatchObject({ reason: "Issued in error" });
    const [after] = await db.select().from(statusLists).where(eq(statusLists.id, org.statusListId));
    expect(after?.publishedVersion).toBe(listVersion + 1);

    // A second run has nothing more to do for this revocation.
    const before = await statusListAuthority(originEnv, org.statusListId).current();
    const again = await reconcilePublications(originEnv, log);
    expect(again.statusLists.published).not.toContain(org.statusListId);
    expect(again.credentials.published).not.toContain(credentialId);
    expect((await statusListAuthority(originEnv, org.statusListId).current())?.updatedAt).toBe(before?.updatedAt);
  });
});

describe("the outbox and the queue's fast path", () => {
  it("single issuance writes an outbox row with its credential; the reconciler leaves it to the queue during the grace, the job clears it", async () => {
    const issuer = await newIssuer();
    const e = testEnv();
    const id = await issueOne(e, issuer, "Grace Hopper");
    const row = await outboxRow(issuer.db, id);
    expect(row).not.toBeNull();
    expect(row!.dueAt).toBeGreaterThan(Date.now());
    expect(row!.dueAt).toBeLessThanOrEqual(Date.now() + QUEUE_GRACE_MS);

    const report = await reconcilePublications(originEnv, log);
    expect(report.credentials.published).not.toContain(id);
    expect(await originEnv.PROJECTIONS.get(kvKeys.credential(id))).toBeNull();

    await drain(e);
    expect(await originEnv.PROJECTIONS.get(kvKeys.credential(id))).not.toBeNull();
    expect(await outboxRow(issuer.db, id)).toBeNull();
  });

  it("a row past its grace is published by the reconciler; a row for an unknown credential is dropped", async () => {
    const issuer = await newIssuer();
    const e = testEnv();
    const id = await issueOne(e, issuer, "Alan Turing");
    e.JOBS.take(); // the job is lost
    const ghost = crypto.randomUUID();
    await issuer.db.insert(credentialPublications).values({ credentialId: ghost, version: 1, dueAt: 0 });

    // As if the grace had passed: the run's clock is after the row's due time.
    const later = Date.now() + QUEUE_GRACE_MS + 1;
    const published = new Set<string>();
    const dropped = new Set<string>();
    for (let run = 0; run < 30 && !(published.has(id) && dropped.has(ghost)); run++) {
      const report = await reconcilePublications(originEnv, log, { now: later });
      report.credentials.published.forEach((p) => published.add(p));
      report.credentials.dropped.forEach((d) => dropped.add(d));
    }
    expect(published.has(id)).toBe(true);
    expect(dropped.has(ghost)).toBe(true);
    expect((await originEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(id), "json"))?.recipientName).toBe("Alan Turing");
    expect(await outboxRow(issuer.db, id)).toBeNull();
    expect(await outboxRow(issuer.db, ghost)).toBeNull();
  });
});

describe("issuers", () => {
  it("a key rotation whose issuer.publish was lost is republished with the new key; then left alone", async () => {
    const { db, org } = await newIssuer();
    const kid = await rotateSigningKey(db, originEnv, org.id); // no job sent: as if it were lost
    const hasNewKey = async () => {
      const held = await originEnv.PROJECTIONS.get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
      return held?.jwks.keys.some((k) => k.kid === `${held.did}#${kid}`) === true;
    };
    expect(await hasNewKey()).toBe(false);
    await cronUntil(hasNewKey);
    const [row] = await db.select({ recorded: orgs.issuerPublishedVersion }).from(orgs).where(eq(orgs.id, org.id));
    const held = await originEnv.PROJECTIONS.get<IssuerProjection>(kvKeys.issuer(org.slug), "json");
    expect(row?.recorded).toBe(held?.version);
    const again = await reconcilePublications(originEnv, log);
    expect(again.issuers.published).not.toContain(org.id);
  });
});

describe("dead-lettered publication jobs", () => {
  it("are re-driven by the reconciler and marked replayed; a second run does nothing more", async () => {
    const { db, credentialId } = await publishedCredential();
    // A credential.publish that exhausted its retries, for a credential the outbox knows nothing
    // about (as for one revoked before the outbox existed): only the re-drive can publish it.
    await originEnv.PROJECTIONS.delete(kvKeys.credential(credentialId));
    expect(await outboxRow(db, credentialId)).toBeNull();
    const messageId = `dlq-${crypto.randomUUID()}`;
    const job: Job = { type: "credential.publish", credentialId, requestId: "req-dead" };
    const batch = createMessageBatch("laurel-jobs-dlq", [{ id: messageId, timestamp: new Date(), attempts: 6, body: job }]);
    const ctx = testContext();
    await consumeDeadLetters(batch, originEnv);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([messageId]);

    const replayed = async () => {
      const [row] = await db.select().from(deadLetters).where(eq(deadLetters.messageId, messageId));
      return row?.replayedAt ?? null;
    };
    await cronUntil(async () => (await replayed()) !== null);
    expect((await originEnv.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(credentialId), "json"))?.id).toBe(credentialId);

    const firstReplay = await replayed();
    await originEnv.PROJECTIONS.delete(kvKeys.credential(credentialId));
    const again = await redriveDeadLetters(originEnv, log);
    expect(again.redriven).not.toContain(messageId);
    expect(await replayed()).toEqual(firstReplay);
    expect(await originEnv.PROJECTIONS.get(kvKeys.credential(credentialId))).toBeNull(); // nothing republished it
  });

  it("a re-drive that fails stays unreplayed and backs off", async () => {
    const { db, org } = await newIssuer();
    // An org left without an active signing key: its status list cannot be signed.
    await db.update(signingKeys).set({ status: "retired", retiredAt: new Date() }).where(eq(signingKeys.orgId, org.id));
    const messageId = `dlq-${crypto.randomUUID()}`;
    const job: Job = { type: "status-list.publish", statusListId: org.statusListId, requestId: "req-bad" };
    await db.insert(deadLetters).values({
      messageId,
      queue: "laurel-jobs-dlq",
      jobType: job.type,
      requestId: job.requestId,
      body: JSON.stringify(job),
      attempts: 6,
      receivedAt: new Date(0), // the oldest: first in line
    });
    const now = Date.now();
    const first = await redriveDeadLetters(originEnv, log, { now });
    expect(first.failed).toContain(messageId);
    const [row] = await db.select().from(deadLetters).where(eq(deadLetters.messageId, messageId));
    expect(row).toMatchObject({ replayedAt: null, redriveAttempts: 1 });
    expect(row!.redriveAfter!.getTime()).toBeGreaterThan(now);
    // Not retried before its backoff ends.
    expect((await redriveDeadLetters(originEnv, log, { now })).failed).not.toContain(messageId);
  });
});
