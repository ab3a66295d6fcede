import { RequestMetrics } from "../shared/observability/metrics.ts";
import type { RecordingIo } from "../shared/observability/metrics-recorder.ts";

/** The origin isolate's request metrics; /metrics serves the stack-wide sums (shared/observability/stack-metrics.ts). */
export const originMetrics = new RequestMetrics("origin");

// The outcome statuses a job's data point carries (status class 2xx acked, 5xx retried).
const ACKED = 200;
const RETRIED = 503;

/** The job type of a queue message: its `type` field, or else the queue's name. */
function jobType(queue: string, body: unknown): string {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === "string" && type.length <= 64 ? type : queue;
}

function orgOf(body: unknown): string | undefined {
  const orgId = (body as { orgId?: unknown } | null)?.orgId;
  return typeof orgId === "string" ? orgId : undefined;
}

/**
 * Runs a queue consumer with one data point per message (type, acked or retried, time from the
 * invocation's start to the message's outcome), without touching the consumers: each message's
 * ack/retry (and ackAll/retryAll) is observed; a message left without either is acked by the
 * runtime when the consumer returns, and retried when it throws.
 */
export async function withJobMetrics<T>(batch: MessageBatch<T>, io: RecordingIo, consume: (batch: MessageBatch<T>) => Promise<void>): Promise<void> {
  const started = Date.now();
  const done = new Set<string>();
  const note = (message: Message<T>, status: number) => {
    if (done.has(message.id)) return;
    done.add(message.id);
    originMetrics.observeJob(jobType(batch.queue, message.body), status, Date.now() - started, io, orgOf(message.body));
  };
  const messages = batch.messages.map((message) =>
    // Plain copies: the runtime's Message and MessageBatch are host objects whose getters refuse
    // another `this`, so they cannot be wrapped by prototype.
    ({
      id: message.id,
      timestamp: message.timestamp,
      body: message.body,
      attempts: message.attempts,
      ack: () => {
        note(message, ACKED);
        message.ack();
      },
      retry: (options?: QueueRetryOptions) => {
        note(message, RETRIED);
        message.retry(options);
      },
    }) satisfies Message<T>,
  );
  const observed: MessageBatch<T> = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages,
    ackAll: () => {
      for (const m of batch.messages) note(m, ACKED);
      batch.ackAll();
    },
    retryAll: (options?: QueueRetryOptions) => {
      for (const m of batch.messages) note(m, RETRIED);
      batch.retryAll(options);
    },
  };
  try {
    await consume(observed);
    for (const m of batch.messages) note(m, ACKED);
  } catch (error) {
    for (const m of batch.messages) note(m, RETRIED);
    throw error;
  }
}
