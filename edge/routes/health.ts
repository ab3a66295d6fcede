import type { EdgeRouter } from "../router.ts";
import { edgeMetrics } from "../metrics.ts";

/** Liveness and RED metrics of the edge. */
export function registerHealthRoutes(router: EdgeRouter) {
  router.get("/healthz", () => Response.json({ status: "ok", service: "edge" }));
  router.get(
    "/metrics",
    async () => new Response(await edgeMetrics.render(), { headers: { "content-type": "text/plain; version=0.0.4" } }),
  );
}
