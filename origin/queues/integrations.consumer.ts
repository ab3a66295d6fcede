// Consumer of laurel-integrations: runs LMS sync steps (services/integrations/sync-step.ts), a few
// at a time, each message acked or retried on its own. A finished step sends the next one; an LMS
// that asks us to wait (429/5xx, Retry-After) gets the step retried after that delay; a database
// failure is retried with the jobs' backoff. Nothing here can hold up laurel-jobs or the API.
import { createLogger, type Logger } from "../../shared/observability/logger.ts";
import type { OriginEnv } from "../env.ts";
import { forEachBounded } from "../services/publication/credential.ts";
import { sendStep } from "../services/integrations/start-sync.ts";
import { runSyncStep } from "../services/integrations/sync-step.ts";
import { isIntegrationSyncJob, type IntegrationSyncJob } from "./integrations.ts";
import { retryDelaySeconds } from "./jobs.consumer.ts";
import { messageSpan, traceFields } from "../tracing/message-span.ts";
import { withTrace } from "../tracing/traced-env.ts";

/** Steps run at once per invocation (each paces its own LMS requests). */
const STEP_CONCURRENCY = 4;

export async function consumeIntegrationSyncs(batch: MessageBatch<unknown>, env: OriginEnv): Promise<void> {
  await forEachBounded(batch.messages, STEP_CONCURRENCY, async (msg) => {
    // Its own span, a child of the sender's; the LMS requests of the step are its children.
    const span = messageSpan(batch.queue, msg, "job integration.sync");
    try {
      await span.run(() => consumeStep(msg, withTrace(env, span.context), createLogger({ service: "origin", ...traceFields(span), queue: batch.queue, operation: "job.integration.sync", messageId: msg.id, attempt: msg.attempts })));
    } finally {
      span.end();
    }
  });
}

async function consumeStep(msg: Message<unknown>, env: OriginEnv, log: Logger): Promise<void> {
  if (!isIntegrationSyncJob(msg.body)) {
    log.error("not an integration sync step: dropped", { status: "dropped" });
    msg.ack();
    return;
  }
  const job: IntegrationSyncJob = msg.body;
  const started = Date.now();
  const fields = { syncId: job.syncId, step: job.step, requestId: job.requestId };
  try {
    const outcome = await runSyncStep(env, job, msg.attempts, log.child(fields));
    if (outcome.kind === "retry") {
      log.warn("sync step waits for the LMS", { ...fields, reason: outcome.reason, delaySeconds: outcome.delaySeconds, status: "retry" });
      msg.retry({ delaySeconds: outcome.delaySeconds });
      return;
    }
    if (outcome.kind === "next") await sendStep(env, { ...job, step: job.step + 1 }, log);
    msg.ack();
    log.info("sync step done", { ...fields, outcome: outcome.kind, syncStatus: outcome.kind === "finished" ? outcome.status : undefined, durationMs: Date.now() - started, status: "ok" });
  } catch (error) {
    const delaySeconds = retryDelaySeconds(msg.attempts, error);
    log.error("sync step failed, retrying", { ...fields, error, delaySeconds, status: "retry" });
    msg.retry({ delaySeconds });
  }
}
