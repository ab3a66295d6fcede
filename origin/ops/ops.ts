// The operators' area of the origin (/ops): stack-wide figures, alerts and traces. Each part
// registers its routes on the one /ops router here, behind `opsAccess()`; the sign-in form is the
// one /ops page outside it. Every answer carries the console's strict security headers.
import { Hono } from "hono";
import type { OriginHono } from "../env.ts";
import { consoleSecurityHeaders } from "../console/security-headers.ts";
import { opsAccess } from "./access.ts";
import { registerFaultInjection } from "./faults.ts";
import { registerOpsDashboard } from "./dashboard.ts";
import { registerOpsSignIn } from "./sign-in.ts";
import { registerTraceRoutes } from "./traces.ts";

export function registerOps(app: Hono<OriginHono>): void {
  app.use("/ops/*", consoleSecurityHeaders());
  app.use("/ops", consoleSecurityHeaders());
  registerOpsSignIn(app);
  const ops = new Hono<OriginHono>();
  ops.use(opsAccess());
  registerFaultInjection(ops);
  registerOpsDashboard(ops);
  registerTraceRoutes(ops);
  app.route("/ops", ops);
}
