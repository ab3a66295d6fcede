// Consumer of laurel-jobs-dlq: jobs that exhausted their retries. Each is logged as an error,
// counted (laurel_dead_letters_total) and stored in the dead_letters table for an operator to
// inspect and replay. Never dropped: if storing fails the message is retried.
import { createLogger } from "../../shared/observability/logger.ts";
import { traceFromCarrier, type TraceCarrier } from "../../shared/observability/trace-context.ts";
import { database } from "../db/client.ts";
import { deadLetters } from "../db/schema/index.ts";
import type { OriginEnv } from "../env.ts";
import { originMetrics } from "../metrics.ts";
import { retryDelaySeconds } from "./jobs.consumer.ts";

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: OriginEnv): Promise<void> {
  const db = database(env);
  for (const msg of batch.messages) {
    const body = (typeof msg.body === "object" && msg.body !== null ? msg.body : {}) as { type?: unknown; requestId?: unknown; trace?: TraceCarrier };
    const jobType = typeof body.type === "string" ? body.type : null;
    const requestId = typeof body.requestId === "string" ? body.requestId : null;
    const traceId = traceFromCarrier(body.trace)?.traceId;
    const log = createLogger({ service: "origin", requestId: requestId ?? undefined, traceId, queue: batch.queue, operation: "job.dead_letter", messageId: msg.id, attempt: msg.attempts });
    try {
      const stored = await db
        .insert(deadLetters)
        .values({ messageId: msg.id, queue: batch.queue, jobType, requestId, body: JSON.stringify(msg.body ?? null), attempts: msg.attempts, receivedAt: new Date() })
        .onConflictDoNothing()
        .returning({ messageId: deadLetters.messageId });
      // Counted once per message, even when the queue delivers the dead letter twice.
      if (stored.length > 0) originMetrics.increment("laurel_dead_letters_total");
      log.error("job dead-lettered", { jobType, status: "dead_lettered", job: msg.body });
      msg.ack();
    } catch (error) {
      log.error("could not store dead letter, retrying", { error, jobType });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, error) });
    }
  }
}
