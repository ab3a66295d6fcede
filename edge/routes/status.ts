// Status list credentials (Bitstring Status List v1.0 §2.2), from the list's authority Durable
// Object (KV when it is unavailable), revalidated on every use: as VC-JWTs, or as JSON-LD with a
// Data Integrity proof for a JSON Accept header (status-representation.ts).
import { AppError } from "../../shared/http/problem.ts";
import { CACHE_POLICY, conditional } from "../cache/http.ts";
import type { EdgeRouter } from "../router.ts";
import { statusListIdFrom } from "../../shared/ids.ts";
import { clientKey } from "../services/rate-limit.ts";
import { getStatusList } from "../services/status-lists.ts";
import { CORS } from "./credentials.ts";
import { statusListRepresentation } from "./status-representation.ts";

/** Registers GET /status/:listId. */
export function registerStatusRoutes(router: EdgeRouter) {
  router.get("/status/:listId", async (request, env, exec) => {
    const listId = statusListIdFrom(request.params.listId);
    const read = listId ? await getStatusList(env, exec, listId, { log: request.ctx.log, client: clientKey(request) }) : null;
    if (!read) throw new AppError(404, "STATUS_LIST_NOT_FOUND", `No status list ${request.params.listId ?? ""}.`);
    // Content negotiation: both representations come from the same projection (same tiers, same
    // revocation bound); a list published without a Data Integrity proof is served as the VC-JWT.
    const secured = statusListRepresentation(request.headers.get("accept")) === "json-ld" ? read.projection.dataIntegrity : undefined;
    const response = secured
      ? conditional(request, `"s${read.projection.version}-ld"`, CACHE_POLICY.live, () =>
          new Response(secured, { headers: { "content-type": "application/vc+ld+json", ...CORS } }),
        )
      : conditional(request, `"s${read.projection.version}"`, CACHE_POLICY.live, () =>
          new Response(read.projection.jwt, { headers: { "content-type": "application/vc+jwt", ...CORS } }),
        );
    const answer = await response;
    answer.headers.set("vary", "Accept");
    return answer;
  });
}
