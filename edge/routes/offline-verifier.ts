// GET /laurel-verify.mjs: the offline verifier as one ES module for Node >= 20, so anyone can run
// `node laurel-verify.mjs badge.png --trust did.json --trust status.jwt` with nothing installed.
import { OFFLINE_VERIFIER } from "../assets/bundles.ts";
import { scriptResponse } from "../cache/static-script.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";

/** Changes only with a deploy; the ETag makes revalidation after an hour cheap. */
const CACHE_CONTROL = "public, max-age=3600";

/** Registers the offline verifier download. */
export function registerOfflineVerifierRoute(router: EdgeRouter) {
  router.get("/laurel-verify.mjs", (request: EdgeRequest) => scriptResponse(request, OFFLINE_VERIFIER, CACHE_CONTROL));
}
