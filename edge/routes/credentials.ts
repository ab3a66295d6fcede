// The credential's documents and images: /c/:id.jwt, /c/:id.json, /c/:id/badge.png, /c/:id/card.png.
// Registered before the HTML page route (/c/:id), which would otherwise match "<id>.jwt".
import { AppError } from "../../shared/http/problem.ts";
import { kvKeys, type CredentialProjection } from "../../shared/kv-keys.ts";
import { decodeCompactJws } from "../../shared/vc-jwt/parse.ts";
import { LoadCoalescer } from "../cache/coalesce.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { CACHE_POLICY, conditional } from "../cache/http.ts";
import { isKnownMissing, rememberMissing } from "../cache/negative.ts";
import type { EdgeEnv } from "../env.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";
import { bakePng } from "../../shared/bake/png.ts";
import { fallbackBadge } from "../services/badge-fallback.ts";
import { credentialIdFrom } from "../../shared/ids.ts";
import { readKvBytes } from "../services/kv.ts";
import { callOrigin } from "../services/origin.ts";
import { getCredentialProjection } from "../services/projections.ts";
import { clientKey, takeOriginReadToken } from "../services/rate-limit.ts";
import { recordEvent } from "../services/scans.ts";

const IMAGE_KV_CACHE_TTL_SECONDS = 300;
// Cards are rendered by the origin on demand (which stores them in KV); keep a few in memory.
// Settled values only (shared/cache/ttl-lru.ts).
const cards = new TtlLru<ArrayBuffer>(64, 10 * 60_000);
const cardLoads = new LoadCoalescer<ArrayBuffer | null>();
// Achievement badge images (~25 KB each), the base every batch-issued badge is baked from.
const achievementBadges = new TtlLru<Uint8Array>(32, 10 * 60_000);

/** JWT registered claims that the VC-JWT adds to the credential (docs/api.md "Credential format"). */
const JWT_CLAIMS = new Set(["iss", "jti", "sub", "nbf", "exp", "iat", "aud"]);

export const CORS = { "access-control-allow-origin": "*" };

async function projectionOr404(request: EdgeRequest, env: EdgeEnv, exec: ExecutionContext): Promise<CredentialProjection> {
  const id = credentialIdFrom(request.params.id);
  const projection = id ? await getCredentialProjection(env, exec, id, { log: request.ctx.log, client: clientKey(request) }) : null;
  if (!projection) throw new AppError(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`);
  return projection;
}

function credentialJson(jwt: string): Record<string, unknown> {
  const decoded = decodeCompactJws(jwt);
  if (typeof decoded === "string") throw new Error(`stored credential JWT does not decode: ${decoded}`);
  return Object.fromEntries(Object.entries(decoded.payload).filter(([k]) => !JWT_CLAIMS.has(k)));
}

// Versioned image URLs (`?v=<projection version>`) are immutable; plain ones revalidate hourly.
function imagePolicy(request: EdgeRequest, projection: CredentialProjection): string {
  return new URL(request.url).searchParams.get("v") === String(projection.version) ? CACHE_POLICY.immutable : CACHE_POLICY.image;
}

function png(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Response {
  return new Response(bytes, { headers: { "content-type": "image/png", ...CORS } });
}

async function card(env: EdgeEnv, exec: ExecutionContext, request: EdgeRequest, id: string): Promise<ArrayBuffer | null> {
  const hot = cards.get(id);
  if (hot) return hot;
  return cardLoads.run(id, async () => {
    const stored = await readKvBytes(env, kvKeys.cardPng(id), IMAGE_KV_CACHE_TTL_SECONDS);
    if (stored) return cards.set(id, stored), stored;
    if (await isKnownMissing("card", id)) return null;
    takeOriginReadToken(env, clientKey(request));
    try {
      const rendered = await callOrigin(env, "renderCard", id);
      if (rendered) cards.set(id, rendered);
      else rememberMissing("card", id, exec);
      return rendered;
    } catch (error) {
      request.ctx.log.warn("card render at the origin failed", { credentialId: id, error });
      return null;
    }
  });
}

async function achievementBadge(env: EdgeEnv, achievementId: string): Promise<Uint8Array | null> {
  const hot = achievementBadges.get(achievementId);
  if (hot) return hot;
  const stored = await readKvBytes(env, kvKeys.achievementBadgePng(achievementId), IMAGE_KV_CACHE_TTL_SECONDS);
  if (!stored) return null;
  const bytes = new Uint8Array(stored);
  achievementBadges.set(achievementId, bytes);
  return bytes;
}

/** Counts a badge or card fetch of a known credential (edge/README.md "Analytics"); never delays the answer. */
function countImage(request: EdgeRequest, env: EdgeEnv, exec: ExecutionContext, projection: CredentialProjection): void {
  recordEvent(env, exec, { credentialId: projection.id, event: "images", userAgent: request.headers.get("user-agent") }, request.ctx.log);
}

/** Registers the credential document and image routes. */
export function registerCredentialRoutes(router: EdgeRouter) {
  router.get("/c/:id.jwt", async (request, env, exec) => {
    const projection = await projectionOr404(request, env, exec);
    return conditional(request, `"c${projection.version}"`, CACHE_POLICY.credentialDocument, () =>
      new Response(projection.jwt, { headers: { "content-type": "application/vc+jwt", ...CORS } }),
    );
  });

  router.get("/c/:id.json", async (request, env, exec) => {
    const projection = await projectionOr404(request, env, exec);
    return conditional(request, `"c${projection.version}"`, CACHE_POLICY.credentialDocument, () =>
      new Response(JSON.stringify(credentialJson(projection.jwt), null, 2), {
        headers: { "content-type": "application/json; charset=utf-8", ...CORS },
      }),
    );
  });

  router.get("/c/:id/badge.png", async (request, env, exec) => {
    const projection = await projectionOr404(request, env, exec);
    countImage(request, env, exec, projection);
    const etag = `"b${projection.version}"`;
    // Baked by the origin (republication: revocation, refill), else baked here into the achievement's image (first publication,
    // single or batch: same bytes the origin would write, a pure function of the projection).
    const stored = await readKvBytes(env, kvKeys.badgePng(projection.id), IMAGE_KV_CACHE_TTL_SECONDS);
    if (stored) return conditional(request, etag, imagePolicy(request, projection), () => png(stored));
    const base = await achievementBadge(env, projection.achievement.id);
    if (base) return conditional(request, etag, imagePolicy(request, projection), () => png(bakePng(base, projection.jwt)));
    // Not rendered yet: a generic badge with the same JWT baked in, cached briefly, no ETag.
    const response = png(await fallbackBadge(projection.jwt));
    response.headers.set("cache-control", CACHE_POLICY.provisional);
    response.headers.set("x-laurel-badge", "provisional");
    return response;
  });

  router.get("/c/:id/card.png", async (request, env, exec) => {
    const projection = await projectionOr404(request, env, exec);
    countImage(request, env, exec, projection);
    const bytes = await card(env, exec, request, projection.id);
    if (!bytes) throw new AppError(503, "CARD_UNAVAILABLE", "card not rendered and the origin could not render it", { headers: { "retry-after": "30" } });
    return conditional(request, `"k${projection.version}"`, imagePolicy(request, projection), () => png(bytes));
  });
}
