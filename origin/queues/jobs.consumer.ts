// Consumer of laurel-jobs (and of laurel-batches, laurel-notifications and laurel-proofs, whose jobs
// are the same kind of message). Every handler is idempotent (queues deliver at least once): the same job
// twice leaves the same state. Success acks; failure retries with exponential backoff
// (2^attempt s, at most 300 s); after max_retries the queue moves the message to laurel-jobs-dlq.
// A database outage is not the job's fault: those failures wait at least
// DATABASE_OUTAGE_RETRY_SECONDS between attempts, so the attempts origin/wrangler.toml allows
// (max_retries = 10) span about 20 minutes of outage before a job is dead-lettered (see
// docs/operations.md, "Database outage").
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import { createLogger, type Logger } from "../../shared/observability/logger.ts";
import { database } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/deadline.ts";
import type { OriginEnv } from "../env.ts";
import { originMetrics } from "../metrics.ts";
import { throwIfFaultInjected } from "../ops/faults.ts";
import { runBatchIssue } from "../services/batches/issue.ts";
import { forEachBounded, publishCredentials, warmCards } from "../services/publication/credential.ts";
import { warmCertificates } from "../services/certificates/warm.ts";
import { publishIssuer } from "../services/publication/issuer.ts";
import { publishStatusList } from "../services/publication/status-list.ts";
import { runResignJob } from "../services/signing/resign.ts";
import { enqueuePendingNotifications } from "../services/notifications/enqueue.ts";
import { runNotificationSend } from "../services/notifications/send.ts";
import { runProveJob } from "../services/publication/batch-proofs.ts";
import type { Job } from "./jobs.ts";
import { kickWebhooks } from "./webhooks.ts";
import { messageSpan, traceFields } from "../tracing/message-span.ts";
import type { TracedSpan } from "../../shared/observability/spans.ts";
import { withTrace } from "../tracing/traced-env.ts";

const JOB_TYPES = new Set<string>(["batch.issue", "credential.publish", "issuer.publish", "status-list.publish", "key.resign", "notification.send", "credential.prove"]);

/** Least delay between attempts while the database does not answer. */
export const DATABASE_OUTAGE_RETRY_SECONDS = 30;

/** Seconds before the next attempt of a failed message (`error`: why it failed). */
export function retryDelaySeconds(attempts: number, error?: unknown): number {
  const backoff = Math.min(2 ** Math.max(1, attempts), 300);
  return isDatabaseUnavailable(error) ? Math.max(backoff, DATABASE_OUTAGE_RETRY_SECONDS) : backoff;
}

/** Whether a message body is one of the jobs above (the consumer and the dead-letter re-drive check it). */
export function isJob(body: unknown): body is Job {
  return typeof body === "object" && body !== null && JOB_TYPES.has((body as { type?: unknown }).type as string);
}

/**
 * Jobs other than credential.publish run this many at a time, so one job's signing overlaps
 * another's database round trips (a 10,000-row batch locally: ~2,900 credentials/s with 4, ~3,500
 * with 8, two runs each).
 */
const JOB_CONCURRENCY = 8;

/**
 * Handles one batch from laurel-jobs: credential.publish messages together (one database read for
 * all), the other jobs a few at a time. Every message is acked or retried individually.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: OriginEnv): Promise<void> {
  const publishes: Message<Extract<Job, { type: "credential.publish" }>>[] = [];
  const others: Message<Job>[] = [];
  for (const msg of batch.messages) {
    if (!isJob(msg.body)) await refuse(env, batch.queue, msg);
    else if (msg.body.type === "credential.publish") publishes.push(msg as Message<Extract<Job, { type: "credential.publish" }>>);
    else others.push(msg as Message<Job>);
  }
  await Promise.all([
    forEachBounded(others, JOB_CONCURRENCY, (msg) => handleOne(env, batch.queue, msg)),
    publishes.length > 0 ? handlePublishes(env, batch.queue, publishes) : undefined,
  ]);
}

function jobLogger(queue: string, msg: Message<Job>, span: TracedSpan): Logger {
  return createLogger({ service: "origin", requestId: msg.body.requestId, ...traceFields(span), queue, operation: `job.${msg.body.type}`, messageId: msg.id, attempt: msg.attempts });
}

function retry(log: Logger, msg: Message<unknown>, error: unknown, started: number, span?: TracedSpan): void {
  span?.set({ "laurel.outcome": "retry" });
  span?.end(error);
  const delaySeconds = retryDelaySeconds(msg.attempts, error);
  originMetrics.increment("laurel_jobs_retried_total");
  log.error("job failed, retrying", { error, delaySeconds, durationMs: Date.now() - started, status: "retry" });
  msg.retry({ delaySeconds });
}

function ack(log: Logger, msg: Message<unknown>, started: number, fields: Record<string, unknown>): void {
  msg.ack();
  originMetrics.increment("laurel_jobs_acked_total");
  log.info("job done", { ...fields, durationMs: Date.now() - started, status: "ok" });
}

// Each job runs in its own span (a child of the span that sent it), with an env whose queues pass it on.
async function handleOne(env: OriginEnv, queue: string, msg: Message<Job>): Promise<void> {
  const span = messageSpan(queue, msg, `job ${msg.body.type}`);
  try {
    await span.run(() => runOne(withTrace(env, span.context), queue, msg, span));
  } finally {
    span.end();
  }
}

async function runOne(env: OriginEnv, queue: string, msg: Message<Job>, span: TracedSpan): Promise<void> {
  const log = jobLogger(queue, msg, span);
  const started = Date.now();
  const job = msg.body;
  try {
    throwIfFaultInjected(env, queue);
    const db = database(env);
    switch (job.type) {
      case "batch.issue": {
        const result = await runBatchIssue(env, job, log.child({ orgId: job.orgId, batchId: job.batchId }));
        if (result.completed) log.info("batch completed", { batchId: job.batchId, orgId: job.orgId, batchStatus: result.completed });
        if (result.outcome === "done") await kickWebhooks(env, job.orgId, job.requestId, log); // events of this job's rows
        return ack(log, msg, started, { batchId: job.batchId, fromRow: job.fromRow, toRow: job.toRow, ...result });
      }
      case "issuer.publish": {
        const outcome = await publishIssuer(db, env, job.orgId);
        return ack(log, msg, started, { orgId: job.orgId, outcome });
      }
      case "status-list.publish": {
        const outcome = await publishStatusList(db, env, job.statusListId);
        if (outcome === "missing") throw new Error(`status list ${job.statusListId} not found`);
        return ack(log, msg, started, { statusListId: job.statusListId, ...outcome });
      }
      case "key.resign": {
        const outcome = await runResignJob(db, env, job);
        return ack(log, msg, started, { orgId: job.orgId, kid: job.kid, after: job.after, sweep: job.sweep === true, ...outcome });
      }
      case "notification.send": {
        const outcome = await runNotificationSend(env, job, log);
        return ack(log, msg, started, { credentialId: job.credentialId, kind: job.kind, outcome });
      }
      case "credential.prove": {
        const outcome = await runProveJob(env, job);
        return ack(log, msg, started, { credentials: job.credentialIds.length, ...outcome });
      }
      case "credential.publish":
        return handlePublishes(env, queue, [msg as Message<Extract<Job, { type: "credential.publish" }>>]);
    }
  } catch (error) {
    retry(log, msg, error, started, span);
  }
}

// A credential is published only after its row committed, so "missing" means a read that lagged the
// write (or a bug): retried, and dead-lettered if it never appears. Messages are acked as soon as
// their projection is in KV; eager cards, then certificates (eager or republished), are warmed
// afterwards, best effort (see warmCards, warmCertificates).
async function handlePublishes(env: OriginEnv, queue: string, msgs: Message<Extract<Job, { type: "credential.publish" }>>[]): Promise<void> {
  const started = Date.now();
  // One span per message (they may belong to different traces); the follow-up notifications are sent in the first one's.
  const spans = new Map(msgs.map((m) => [m, messageSpan(queue, m, "job credential.publish")]));
  try {
    await spans.get(msgs[0]!)!.run(() => publishAll(withTrace(env, spans.get(msgs[0]!)!.context), queue, msgs, spans, started));
  } finally {
    for (const span of spans.values()) span.end();
  }
}

async function publishAll(
  env: OriginEnv,
  queue: string,
  msgs: Message<Extract<Job, { type: "credential.publish" }>>[],
  spans: Map<Message<Job>, TracedSpan>,
  started: number,
): Promise<void> {
  let result: Awaited<ReturnType<typeof publishCredentials>>;
  try {
    throwIfFaultInjected(env, queue);
    result = await publishCredentials(
      database(env),
      env,
      msgs.map((m) => ({ credentialId: m.body.credentialId, fresh: m.body.fresh === true })),
    );
  } catch (error) {
    for (const msg of msgs) retry(jobLogger(queue, msg, spans.get(msg)!), msg, error, started, spans.get(msg));
    return;
  }
  if (result.outboxError) {
    createLogger({ service: "origin", queue, operation: "job.credential.publish" }).warn("published, but the outbox rows stay (the reconciler republishes)", {
      error: result.outboxError,
    });
  }
  let published = 0;
  const cards = new Map<string, CredentialProjection>();
  const certificates = new Map<string, CredentialProjection>();
  const counted = new Set<string>();
  for (const msg of msgs) {
    const id = msg.body.credentialId;
    const outcome = result.outcomes.get(id);
    const log = jobLogger(queue, msg, spans.get(msg)!);
    if (outcome === "published" || outcome === "stale") {
      msg.ack();
      originMetrics.increment("laurel_jobs_acked_total");
      if (outcome === "published" && !counted.has(id)) {
        counted.add(id);
        published++;
        const projection = result.projections.get(id);
        if ((msg.body.card ?? "eager") === "eager" && projection) cards.set(id, projection);
        if (((msg.body.card ?? "eager") === "eager" || msg.body.fresh !== true) && projection) certificates.set(id, projection);
      }
    } else {
      retry(log, msg, outcome ?? new Error("no outcome"), started, spans.get(msg));
      if (outcome === "missing") log.warn("credential not found for publication", { credentialId: id });
    }
  }
  originMetrics.increment("laurel_credentials_published_total", published);
  // Published: the recipients' pending notifications can go out (their links now work).
  const settled = msgs.filter((m) => ["published", "stale"].includes(result.outcomes.get(m.body.credentialId) as string));
  await enqueuePendingNotifications(env, [...new Set(settled.map((m) => m.body.credentialId))], settled[0]?.body.requestId ?? "", createLogger({ service: "origin", queue, operation: "job.credential.publish" }));
  const publishedMs = Date.now() - started;
  const warmed = cards.size > 0 ? await warmCards(env, [...cards.values()]) : { rendered: 0, skipped: 0 };
  const certified = certificates.size > 0 ? await warmCertificates(env, [...certificates.values()]) : { rendered: 0, skipped: 0 };
  createLogger({ service: "origin", queue, operation: "job.credential.publish" }).info("credentials published", {
    count: msgs.length,
    published,
    cardsRendered: warmed.rendered,
    cardsLeftToEdge: warmed.skipped,
    certificatesRendered: certified.rendered,
    certificatesLeftToEdge: certified.skipped,
    publishedMs,
    durationMs: Date.now() - started,
    status: "ok",
  });
}

// A message that is not a job can never succeed: straight to the dead-letter queue, not five retries.
async function refuse(env: OriginEnv, queue: string, msg: Message<unknown>): Promise<void> {
  const log = createLogger({ service: "origin", queue, operation: "job.unknown", messageId: msg.id, attempt: msg.attempts });
  try {
    await env.DEAD_LETTERS.send(msg.body, { contentType: "json" });
    msg.ack();
    log.error("not a job: sent to the dead-letter queue", { status: "dead_lettered" });
  } catch (error) {
    retry(log, msg, error, Date.now());
  }
}
