// An issuer's public keys: the did:web document and the JWK Set (every key it ever signed with).
import { AppError } from "../../shared/http/problem.ts";
import type { IssuerProjection } from "../../shared/kv-keys.ts";
import { CACHE_POLICY, conditional } from "../cache/http.ts";
import type { EdgeEnv } from "../env.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";
import { issuerSlugFrom } from "../../shared/ids.ts";
import { getIssuerProjection } from "../services/projections.ts";
import { clientKey } from "../services/rate-limit.ts";
import { CORS } from "./credentials.ts";

async function issuerOr404(request: EdgeRequest, env: EdgeEnv, exec: ExecutionContext): Promise<IssuerProjection> {
  const slug = issuerSlugFrom(request.params.slug);
  const issuer = slug ? await getIssuerProjection(env, exec, slug, { log: request.ctx.log, client: clientKey(request) }) : null;
  if (!issuer) throw new AppError(404, "ISSUER_NOT_FOUND", `No issuer ${request.params.slug ?? ""}.`);
  return issuer;
}

function document(request: EdgeRequest, issuer: IssuerProjection, body: unknown, contentType: string, tag: string) {
  return conditional(request, `"${tag}${issuer.version}"`, CACHE_POLICY.issuerDocument, () =>
    new Response(JSON.stringify(body), { headers: { "content-type": contentType, ...CORS } }),
  );
}

/** Registers /issuers/:slug/did.json (did:web §3.2) and /issuers/:slug/jwks.json (RFC 7517 §5). */
export function registerIssuerRoutes(router: EdgeRouter) {
  router.get("/issuers/:slug/did.json", async (request, env, exec) => {
    const issuer = await issuerOr404(request, env, exec);
    return document(request, issuer, issuer.didDocument, "application/did+json", "d");
  });
  router.get("/issuers/:slug/jwks.json", async (request, env, exec) => {
    const issuer = await issuerOr404(request, env, exec);
    return document(request, issuer, issuer.jwks, "application/jwk-set+json", "j");
  });
}
