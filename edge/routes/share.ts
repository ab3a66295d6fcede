// GET /c/:id/linkedin: the credential page's "Add to LinkedIn profile" button goes through here, so
// each click is counted as a share (edge/README.md "Analytics") before the visitor is sent on to
// LinkedIn. Not an open redirect: the target is built from the stored credential only.
import { credentialPageUrl } from "../../shared/public-urls.ts";
import { edgeSetting } from "../env.ts";
import { linkedInUrlFor } from "../render/linkedin.ts";
import type { EdgeRouter } from "../router.ts";
import { loadVerifiedCredential } from "../services/credential-view.ts";
import { clientKey } from "../services/rate-limit.ts";
import { recordEvent } from "../services/scans.ts";
import { problemResponse } from "../../shared/http/problem.ts";

// Every click must reach the edge to be counted: nothing may cache the redirect.
const NO_STORE = { "cache-control": "no-store", "referrer-policy": "no-referrer" };

/** Registers the counting redirects; call before the catch-all 404. */
export function registerShareRoutes(router: EdgeRouter) {
  router.get("/c/:id/linkedin", async (request, env, exec) => {
    const view = await loadVerifiedCredential(env, exec, request.params.id ?? "", { log: request.ctx.log, client: clientKey(request) });
    if (!view) return problemResponse(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`, request.ctx.requestId);
    const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
    // The page offers the button only while the credential verifies; a stale link to a revoked or
    // expired credential leads back to its page (which says why), and is not counted.
    if (view.result.status !== "valid") return new Response(null, { status: 302, headers: { location: credentialPageUrl(baseUrl, view.projection.id), ...NO_STORE } });
    recordEvent(env, exec, { credentialId: view.projection.id, event: "shares", userAgent: request.headers.get("user-agent") }, request.ctx.log);
    return new Response(null, { status: 302, headers: { location: linkedInUrlFor(view.projection, baseUrl), ...NO_STORE } });
  });
}
