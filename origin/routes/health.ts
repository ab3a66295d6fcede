import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OriginHono } from "../env.ts";
import { database } from "../db/client.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/deadline.ts";
import { originMetrics } from "../metrics.ts";
import { renderStackMetrics } from "../../shared/observability/stack-metrics.ts";
import { queueFigureLines, readQueueFigures } from "../ops/queue-figures.ts";

/**
 * Liveness (`/healthz`, which also pings the database: 503 when it does not answer within the
 * database deadline) and RED metrics (`/metrics`).
 */
export function registerHealthRoutes(app: OpenAPIHono<OriginHono>) {
  app.get("/healthz", async (c) => {
    const started = Date.now();
    try {
      await database(c.env).$client.execute("select 1");
      return c.json({ status: "ok", service: "origin", database: { ok: true, latencyMs: Date.now() - started } });
    } catch (error) {
      c.var.rc.log.error("database unreachable", { error, durationMs: Date.now() - started });
      return c.json({ status: "degraded", service: "origin", database: { ok: false } }, 503, {
        "retry-after": String(DATABASE_RETRY_AFTER_SECONDS),
      });
    }
  });
  // Stack-wide request and job figures from the aggregator, then the queue figures from the database.
  app.get("/metrics", async (c) => {
    const figures = await readQueueFigures(c.env).then(queueFigureLines, () => ["# The database did not answer: no queue figures."]);
    const text = (await renderStackMetrics(originMetrics, c.env.METRICS)) + figures.join("\n") + "\n";
    return c.text(text, 200, { "content-type": "text/plain; version=0.0.4" });
  });
}
