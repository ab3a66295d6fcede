import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OriginHono } from "../env.ts";
import { database } from "../db/client.ts";
import { originMetrics } from "../metrics.ts";

/** Liveness (`/healthz`, which also pings the database) and RED metrics (`/metrics`). */
export function registerHealthRoutes(app: OpenAPIHono<OriginHono>) {
  app.get("/healthz", async (c) => {
    const started = Date.now();
    try {
      await database(c.env).$client.execute("select 1");
      return c.json({ status: "ok", service: "origin", database: { ok: true, latencyMs: Date.now() - started } });
    } catch (error) {
      c.var.rc.log.error("database unreachable", { error });
      return c.json({ status: "degraded", service: "origin", database: { ok: false } }, 503);
    }
  });
  app.get("/metrics", async (c) => c.text(await originMetrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));
}
