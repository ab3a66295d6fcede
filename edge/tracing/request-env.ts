// The env a request's handlers see: the Worker's env plus the request's span and id, so the one
// door to the origin (edge/services/origin.ts) passes them on with every RPC call without a
// parameter threaded through every service on the way. Bindings are the same objects.
import { withSameSettings } from "../../shared/config/settings.ts";
import type { RequestContext } from "../../shared/observability/request-context.ts";
import type { EdgeEnv } from "../env.ts";

/** A copy of `env` acting for the request `ctx`: TRACE and REQUEST_ID set, settings shared with `env`. */
export function withRequestTrace(env: EdgeEnv, ctx: Pick<RequestContext, "trace" | "requestId">): EdgeEnv {
  return withSameSettings({ ...env, TRACE: ctx.trace, REQUEST_ID: ctx.requestId }, env);
}
