// The operators' area of the origin (/ops): stack-wide figures, alerts and traces. Each part
// registers its routes on the one /ops router here, behind `opsAccess()`.
import { Hono } from "hono";
import type { OriginHono } from "../env.ts";
import { opsAccess } from "./access.ts";
import { registerTraceRoutes } from "./traces.ts";

export function registerOps(app: Hono<OriginHono>): void {
  const ops = new Hono<OriginHono>();
  ops.use(opsAccess());
  registerTraceRoutes(ops);
  app.route("/ops", ops);
}
