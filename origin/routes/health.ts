import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OriginHono } from "../env.ts";
import { database } from "../db/client.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/deadline.ts";
import { originMetrics } from "../metrics.ts";

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
  app.get("/metrics", async (c) => c.text(await originMetrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));
}
