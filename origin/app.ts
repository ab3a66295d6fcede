// The origin's HTTP application: lifecycle middleware, the one error mapping, and the routes.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { notConfiguredResponse, SettingError } from "../shared/config/settings.ts";
import { AppError, PROBLEMS, problemBody, problemFromError, problemJson, problemResponse, type ProblemCode } from "../shared/http/problem.ts";
import { finishRequest, startRequest } from "../shared/observability/request-context.ts";
import { recordingIo } from "../shared/observability/recording-io.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "./db/deadline.ts";
import { originSettings, type OriginHono } from "./env.ts";
import { trackRequest } from "./http/activity.ts";
import { originMetrics } from "./metrics.ts";
import { registerAchievementRoutes } from "./routes/achievements.ts";
import { registerAnalyticsRoutes } from "./routes/analytics.ts";
import { registerApiKeyRoutes } from "./routes/api-keys.ts";
import { registerBatchRoutes } from "./routes/batches.ts";
import { registerCredentialRoutes } from "./routes/credentials.ts";
import { registerDocsRoutes } from "./routes/docs.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerIntegrationRoutes } from "./routes/integrations.ts";
import { registerKeyRoutes } from "./routes/keys.ts";
import { registerOrgRoutes } from "./routes/orgs.ts";
import { registerOperatorRoutes } from "./routes/operators.ts";
import { registerWebhookRoutes } from "./routes/webhooks.ts";
import { registerNotificationRoutes } from "./routes/notifications.ts";
import { registerWalletRoutes } from "./routes/wallet.ts";
import { registerIssuerLogoRoutes } from "./routes/issuer-logo.ts";
import { registerMailEventRoutes } from "./routes/mail-events.ts";
import { registerConsole } from "./console/console.ts";
import { registerOps } from "./ops/ops.ts";
import { validationHook } from "./validation.ts";
import { activeTrace, annotateActiveSpan } from "../shared/observability/spans.ts";
import { withTrace } from "./tracing/traced-env.ts";

/** The registered code of a 4xx Hono throws itself; any other 4xx than these is answered as 400 BAD_REQUEST. */
function honoProblemCode(error: HTTPException): ProblemCode {
  if (error.status === 415) return "UNSUPPORTED_MEDIA_TYPE";
  if (error.status === 413) return "PAYLOAD_TOO_LARGE";
  return /json/i.test(error.message) ? "MALFORMED_JSON" : "BAD_REQUEST";
}

/** The request's waitUntil; tests that call app.fetch without an execution context record in-isolate only. */
function executionWaitUntil(c: { executionCtx: { waitUntil(promise: Promise<unknown>): void } }): (promise: Promise<unknown>) => void {
  return (promise) => {
    try {
      c.executionCtx.waitUntil(promise);
    } catch {
      promise.catch(() => {});
    }
  };
}

/** Builds the origin app; index.ts serves it. */
export function createApp() {
  const app = new OpenAPIHono<OriginHono>({ defaultHook: validationHook });

  app.use(async (c, next) => {
    // The request's span: the exporter's (when on) or one made from the caller's traceparent.
    const rc = startRequest(c.req.raw, "origin", activeTrace() ?? undefined);
    rc.recording = recordingIo(c.env, executionWaitUntil(c));
    c.set("rc", rc);
    c.env = withTrace(c.env, rc.trace);
    await trackRequest(next);
    rc.route = c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
    c.res = finishRequest(rc, c.req.raw, c.res, originMetrics);
    annotateActiveSpan({ "laurel.request_id": rc.requestId, "laurel.org_id": rc.orgId, "http.route": rc.route, "http.response.status_code": c.res.status });
  });

  // Every setting parsed before any route runs (once per env): a broken one answers 503
  // NOT_CONFIGURED naming it, /healthz included, so a misconfigured deployment fails at start.
  app.use(async (c, next) => {
    originSettings.check(c.env);
    await next();
  });

  app.onError((error, c) => {
    const rc = c.var.rc;
    if (error instanceof SettingError) return notConfiguredResponse(error, rc.requestId, rc.log);
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own 4xx (e.g. a JSON body that does not parse, zod-openapi's media-type gate).
      const code = honoProblemCode(error);
      return problemResponse(PROBLEMS[code].status, code, error.message, rc.requestId);
    }
    if (isDatabaseUnavailable(error)) {
      // A stalled or unreachable database, on any route: a retryable answer, not a 500.
      rc.log.error("database unavailable", { error });
      const body = problemBody(503, "DATABASE_UNAVAILABLE", "", rc.requestId);
      // Not an internal detail: the client should know the call is worth repeating, and when.
      body.detail = `The database did not answer in time. Retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds, with the same Idempotency-Key where the call takes one.`;
      return problemJson(body, { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
    }
    if (!(error instanceof AppError) || error.status >= 500) rc.log.error("unhandled error", { error });
    return problemFromError(error, rc.requestId);
  });

  app.notFound((c) =>
    problemResponse(404, "NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, c.var.rc.requestId),
  );

  registerHealthRoutes(app);
  registerOrgRoutes(app);
  registerOperatorRoutes(app);
  registerAchievementRoutes(app);
  registerCredentialRoutes(app);
  registerBatchRoutes(app);
  registerKeyRoutes(app);
  registerApiKeyRoutes(app);
  registerAnalyticsRoutes(app);
  registerWebhookRoutes(app);
  registerIntegrationRoutes(app);
  registerNotificationRoutes(app);
  registerWalletRoutes(app);
  registerIssuerLogoRoutes(app);
  registerMailEventRoutes(app);
  registerConsole(app);
  registerOps(app);
  registerDocsRoutes(app); // last: documents every route registered above
  return app;
}
