// POST /c/:id/lcw-request: the Learner Credential Wallet's credential request (shared/lcw.ts). The
// wallet sends a DID Authentication presentation; the answer is the credential's Data Integrity
// secured JSON, the same public document as /c/:id.json, so the presentation is not read (nothing
// is disclosed that the public URL does not already give, and nothing the client sends is parsed).
import { AppError } from "../../shared/http/problem.ts";
import { credentialIdFrom } from "../../shared/ids.ts";
import type { EdgeRouter } from "../router.ts";
import { getCredentialProjection } from "../services/projections.ts";
import { clientKey } from "../services/rate-limit.ts";
import { CORS, securedCredentialJson } from "./credentials.ts";

/** Registers POST /c/:id/lcw-request. */
export function registerWalletRequestRoute(router: EdgeRouter) {
  router.post("/c/:id/lcw-request", async (request, env, exec) => {
    const id = credentialIdFrom(request.params.id);
    const projection = id ? await getCredentialProjection(env, exec, id, { log: request.ctx.log, client: clientKey(request) }) : null;
    if (!projection) throw new AppError(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`);
    const { json, proved } = await securedCredentialJson(env, projection);
    // The wallet accepts Data Integrity proofs only: until publication adds it (seconds after
    // issuance), ask the wallet to come back rather than hand it a credential it cannot verify.
    if (!proved) {
      throw new AppError(503, "CREDENTIAL_PROOF_PENDING", "The credential's Data Integrity proof is not published yet; try again in a minute.", {
        headers: { "retry-after": "60" },
      });
    }
    return new Response(JSON.stringify(json), { headers: { "content-type": "application/vc+ld+json", "cache-control": "no-store", ...CORS } });
  });
}
