// The origin Worker: the issuer API (fetch), its queue consumers (queue), its cron tasks
// (scheduled, dispatched by cron in scheduled.ts) and the edge's RPC entrypoint (EdgeApi, bound
// by the edge as ORIGIN).
import { createApp } from "./app.ts";
import type { OriginEnv } from "./env.ts";
import { consumeDeadLetters } from "./queues/dead-letters.consumer.ts";
import { QUEUES } from "./queues/jobs.ts";
import { consumeJobs } from "./queues/jobs.consumer.ts";
import { INTEGRATIONS_QUEUE } from "./queues/integrations.ts";
import { consumeIntegrationSyncs } from "./queues/integrations.consumer.ts";
import { runScheduled } from "./scheduled.ts";
import { withJobMetrics } from "./metrics.ts";
import { recordingIo } from "../shared/observability/recording-io.ts";
import { consumeWebhooks } from "./queues/webhooks.consumer.ts";
import { withTracing } from "./tracing/otel.ts";

export { EdgeApi } from "./rpc/edge-api.ts";

const app = createApp();

export default withTracing({
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.cron)),
  queue: (batch, env, ctx) =>
    // One data point per message (origin/metrics.ts), beside each consumer's own counters.
    withJobMetrics(batch, recordingIo(env, (p) => ctx.waitUntil(p)), (observed) => {
      if (observed.queue === QUEUES.webhooks) return consumeWebhooks(observed as typeof batch & MessageBatch<never>, env);
      if (observed.queue === INTEGRATIONS_QUEUE) return consumeIntegrationSyncs(observed as never, env);
      return observed.queue === QUEUES.deadLetters ? consumeDeadLetters(observed as never, env) : consumeJobs(observed as never, env);
    }),
} satisfies ExportedHandler<OriginEnv>);
