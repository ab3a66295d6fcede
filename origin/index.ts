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
import { registerQueueGauges } from "./queues/queue-depth.ts";
import { runScheduled } from "./scheduled.ts";
import { consumeWebhooks } from "./queues/webhooks.consumer.ts";
import { withTracing } from "./tracing/otel.ts";

export { EdgeApi } from "./rpc/edge-api.ts";

const app = createApp();

export default withTracing({
  fetch: (request, env, ctx) => {
    registerQueueGauges(env);
    return app.fetch(request, env, ctx);
  },
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.cron)),
  queue: (batch, env) => {
    if (batch.queue === QUEUES.webhooks) return consumeWebhooks(batch, env);
    if (batch.queue === INTEGRATIONS_QUEUE) return consumeIntegrationSyncs(batch, env);
    return batch.queue === QUEUES.deadLetters ? consumeDeadLetters(batch, env) : consumeJobs(batch, env);
  },
} satisfies ExportedHandler<OriginEnv>);
