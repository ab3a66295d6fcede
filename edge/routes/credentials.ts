// The credential's documents and images: /c/:id.jwt, /c/:id.json, /c/:id/badge.png, /c/:id/card.png.
// Registered before the HTML page route (/c/:id), which would otherwise match "<id>.jwt".
import { AppError } from "../../shared/http/problem.ts";
import { kvKeys, type CredentialProjection, type CredentialProofProjection } from "../../shared/kv-keys.ts";
import { credentialJsonOfJwt } from "../../shared/vc-jwt/credential-json.ts";
import { LoadCoalescer } from "../cache/coalesce.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { CACHE_POLICY, conditional } from "../cache/http.ts";
import { isKnownMissing, rememberMissing } from "../cache/negative.ts";
import type { EdgeEnv } from "../env.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";
import { bakePng } from "../../shared/bake/png.ts";
import { fallbackBadge } from "../services/badge-fallback.ts";
import { credentialIdFrom } from "../../shared/ids.ts";
import { readKvBytes, readKvJson } from "../services/kv.ts";
import { callOrigin } from "../services/origin.ts";
import { getCredentialProjection, KV_CACHE_TTL_SECONDS } from "../services/projections.ts";
import { clientKey, takeOriginReadToken } from "../services/rate-limit.ts";
import { recordEvent } from "../services/scans.ts";

const IMAGE_KV_CACHE_TTL_SECONDS = 300;
// Cards are rendered by the origin on demand (which stores them in KV); keep a few in memory.
// Settled values only (shared/cache/ttl-lru.ts).
const cards = new TtlLru<ArrayBuffer>(64, 10 * 60_000);
const cardLoads = new LoadCoalescer<ArrayBuffer | null>();
// Achievement badge images (~25 KB each), the base every batch-issued badge is baked from.
const achievementBadges = new TtlLru<Uint8Array>(32, 10 * 60_000);

export const CORS = { "access-control-allow-origin": "*" };

async function projectionOr404(request: EdgeRequest, env: EdgeEnv, exec: ExecutionContext): Promise<CredentialProjection> {
  const id = credentialIdFrom(request.params.id);
  const projection = id ? await getCredentialProjection(env, exec, id, { log: request.ctx.log, client: clientKey(request) }) : null;
  if (!projection) throw new AppError(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`);
  return projection;
}

/**
 * The credential's Data Integrity proof, once the origin's publication added it (seconds after
 * issuance); null before. KV's edge cache may keep a "not yet" for KV_CACHE_TTL_SECONDS.
 */
async function credentialProof(env: EdgeEnv, id: string): Promise<Record<string, unknown> | null> {
  const stored = await readKvJson<CredentialProofProjection>(env, kvKeys.credentialProof(id), KV_CACHE_TTL_SECONDS);
  return stored?.proof ?? null;
}

/** `/c/:id.json`: the credential, with its Data Integrity proof when it has one (edge/README.md). */
export async function securedCredentialJson(env: EdgeEnv, projection: CredentialProjection): Promise<{ json: Record<string, unknown>; proved: boolean }> {
  const json = credentialJsonOfJwt(projection.jwt);
  const proof = await credentialProof(env, projection.id);
  return proof ? { json: { ...json, proof }, proved: true } : { json, proved: false };
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
    const { json, proved } = await securedCredentialJson(env, projection);
    // The proof is a new representation of the same version: its own ETag.
    return conditional(request, `"c${projection.version}${proved ? "p" : ""}"`, CACHE_POLICY.credentialDocument, () =>
      new Response(JSON.stringify(json, null, 2), {
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
