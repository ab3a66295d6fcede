// The credential's images in KV: the achievement's badge base image (public: the edge bakes any
// credential's JWT into it on request), the baked badge of a republished credential (base + the VC-JWT in
// an iTXt chunk) and the social card. The base is drawn once per achievement and reused from
// isolate memory, then from KV; only the baking (a byte copy) runs per credential.
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import { bakePng } from "../../../shared/bake/png.ts";
import { kvKeys, type CredentialProjection } from "../../../shared/kv-keys.ts";
import type { OriginEnv } from "../../env.ts";
import { renderBadgeBase, renderCardPng } from "../render/index.ts";

const MAX_BASES_IN_MEMORY = 200;
// Resolved images only, never promises: workerd cancels a request (or queue invocation) that
// waits on a promise another one is resolving ("code had hung"). Two concurrent misses may both
// draw the base; both draws are identical.
const bases = new TtlLru<Uint8Array>(MAX_BASES_IN_MEMORY, Infinity);

/** The achievement's badge base PNG: isolate memory → KV → rendered (and stored in KV). */
export async function badgeBase(
  env: Pick<OriginEnv, "PROJECTIONS">,
  p: { achievement: { id: string; name: string }; issuer: { name: string } },
): Promise<Uint8Array> {
  const key = kvKeys.achievementBadgePng(p.achievement.id);
  const hot = bases.get(key);
  if (hot) return hot;
  const stored = await env.PROJECTIONS.get(key, "arrayBuffer");
  let png: Uint8Array;
  if (stored) png = new Uint8Array(stored);
  else {
    png = await renderBadgeBase({ achievementId: p.achievement.id, achievementName: p.achievement.name, issuerName: p.issuer.name });
    await env.PROJECTIONS.put(key, png);
  }
  bases.set(key, png);
  return png;
}

/** Writes `cred:<id>:badge.png`: the base image with the credential's VC-JWT baked in. */
export async function publishBadge(env: Pick<OriginEnv, "PROJECTIONS">, p: CredentialProjection): Promise<void> {
  const baked = bakePng(await badgeBase(env, p), p.jwt);
  await env.PROJECTIONS.put(kvKeys.badgePng(p.id), baked);
}

/** Renders the 1200×627 social card and writes `cred:<id>:card.png`; returns the PNG bytes. */
export async function publishCard(env: Pick<OriginEnv, "PROJECTIONS">, p: CredentialProjection): Promise<Uint8Array<ArrayBuffer>> {
  const png = await renderCardPng({
    achievementId: p.achievement.id,
    achievementName: p.achievement.name,
    issuerName: p.issuer.name,
    recipientName: p.recipientName,
    issuedOn: p.issuedAt.slice(0, 10),
  });
  await env.PROJECTIONS.put(kvKeys.cardPng(p.id), png);
  return png;
}
