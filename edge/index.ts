// The edge Worker: public verification. This file is the table of contents.
import { notConfiguredResponse, SettingError } from "../shared/config/settings.ts";
import { AppError, problemFromError, problemResponse } from "../shared/http/problem.ts";
import { AccessLogSampler } from "../shared/observability/access-log.ts";
import { finishRequest, startRequest } from "../shared/observability/request-context.ts";
import { recordingIo } from "../shared/observability/recording-io.ts";
import { edgeSettings, type EdgeEnv } from "./env.ts";
import { edgeMetrics } from "./metrics.ts";
import { createEdgeRouter, type EdgeRequest } from "./router.ts";
import { registerCertificateRoute } from "./routes/certificate.ts";
import { registerCredentialRoutes } from "./routes/credentials.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerIssuerRoutes } from "./routes/issuers.ts";
import { registerOfflineVerifierRoute } from "./routes/offline-verifier.ts";
import { registerPageRoutes } from "./routes/pages.ts";
import { registerShareRoutes } from "./routes/share.ts";
import { registerStatusRoutes } from "./routes/status.ts";
import { noteIsolateLocation } from "./services/status-lists.ts";
import { registerVerifyRoutes } from "./routes/verify.ts";
import { registerWalletRequestRoute } from "./routes/wallet-request.ts";
import { withRequestTrace } from "./tracing/request-env.ts";
import { withEdgeTracing } from "./tracing/otel.ts";
import { activeTrace, annotateActiveSpan } from "../shared/observability/spans.ts";

export { MetricsAggregator } from "./objects/metrics-aggregator.do.ts";
export { ScanCounter } from "./objects/scan-counter.do.ts";
export { StatusListAuthority } from "./objects/status-list-authority.do.ts";
export { StatusListRelay } from "./objects/status-list-relay.do.ts";

const router = createEdgeRouter();
registerHealthRoutes(router); //      /healthz, /metrics
registerVerifyRoutes(router); //      /api/v1/verify/:id, POST /api/v1/verify
registerCredentialRoutes(router); //  /c/:id.jwt, /c/:id.json, /c/:id/badge.png, /c/:id/card.png (before /c/:id)
registerShareRoutes(router); //       /c/:id/linkedin (counting redirect to LinkedIn's add-to-profile form)
registerWalletRequestRoute(router); // POST /c/:id/lcw-request (the Learner Credential Wallet's credential request)
registerCertificateRoute(router); //  /c/:id/certificate.pdf (before /c/:id)
registerPageRoutes(router); //        /c/:id, /c/:id/embed, /oembed, /verify (+ scripts, service worker)
registerIssuerRoutes(router); //      /issuers/:slug/did.json, /issuers/:slug/jwks.json
registerStatusRoutes(router); //      /status/:listId
registerOfflineVerifierRoute(router); // /laurel-verify.mjs
// Access log policy (README "Logs"): every error, 4xx, slow, non-GET and traced request; 1 in 100 of
// the fast successful reads; a per-isolate summary line every 10 s.
const accessLog = new AccessLogSampler({ sampleEvery: 100, slowMs: 250, summaryEveryMs: 10_000 });

router.all("*", (request) => problemResponse(404, "NOT_FOUND", `No route for ${request.method} ${new URL(request.url).pathname}`, request.ctx.requestId));

export default withEdgeTracing({
  async fetch(incoming: Request, env: EdgeEnv, exec: ExecutionContext): Promise<Response> {
    // HEAD (link checkers, crawlers probing og:image) answers as GET would, without the body.
    const isHead = incoming.method === "HEAD";
    const request = isHead ? new Request(incoming, { method: "GET" }) : incoming;
    // Exporting spans, the request's span is the one the SDK started (activeTrace); else made here.
    const ctx = startRequest(request, "edge", activeTrace() ?? undefined);
    ctx.recording = recordingIo(env, (promise) => exec.waitUntil(promise));
    noteIsolateLocation((incoming.cf as { colo?: unknown } | undefined)?.colo);
    const routed = Object.assign(request, { ctx }) as unknown as EdgeRequest;
    let response: Response;
    try {
      // Every setting parsed before any route runs (once per env): a broken one answers 503
      // NOT_CONFIGURED naming it, /healthz included, so a misconfigured deployment fails at start.
      edgeSettings.check(env);
      // Handlers get the env acting for this request: its span and id reach the origin's RPC calls.
      response = await router.fetch(routed, withRequestTrace(env, ctx), exec);
    } catch (error) {
      if (error instanceof SettingError) response = notConfiguredResponse(error, ctx.requestId, ctx.log);
      else {
        if (!(error instanceof AppError) || error.status >= 500) ctx.log.error("unhandled error", { error });
        response = problemFromError(error, ctx.requestId);
      }
    }
    ctx.route = !routed.route || routed.route === "*" ? "unmatched" : routed.route;
    if (isHead) response = new Response(null, response);
    annotateActiveSpan({ "laurel.request_id": ctx.requestId, "http.route": ctx.route, "http.response.status_code": response.status });
    return finishRequest(ctx, request, response, edgeMetrics, accessLog);
  },
} satisfies ExportedHandler<EdgeEnv>);
