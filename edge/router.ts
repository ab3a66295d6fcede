import { Router, type IRequest, type RouterType } from "itty-router";
import type { RequestContext } from "../shared/observability/request-context.ts";
import type { EdgeEnv } from "./env.ts";

/** Every edge request carries its lifecycle context. */
export type EdgeRequest = IRequest & { ctx: RequestContext };
export type EdgeArgs = [EdgeEnv, ExecutionContext];
export type EdgeRouter = RouterType<EdgeRequest, EdgeArgs>;

/** The edge router; itty leaves the matched pattern in `request.route` for metrics and logs. */
export function createEdgeRouter(): EdgeRouter {
  return Router<EdgeRequest, EdgeArgs>();
}
