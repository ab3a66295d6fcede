import type { EdgeRouter } from "../router.ts";
import { edgeMetrics } from "../metrics.ts";
import { renderStackMetrics } from "../../shared/observability/stack-metrics.ts";

/** Liveness and RED metrics of the edge (stack-wide, from the metrics aggregator). */
export function registerHealthRoutes(router: EdgeRouter) {
  router.get("/healthz", () => Response.json({ status: "ok", service: "edge" }));
  router.get(
    "/metrics",
    async (_request, env) =>
      new Response(await renderStackMetrics(edgeMetrics, env.METRICS), { headers: { "content-type": "text/plain; version=0.0.4" } }),
  );
}
