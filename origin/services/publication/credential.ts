// credential.publish: the credential's projection, badge and card in KV, then its Data Integrity proof.
import { kvKeys, type CredentialProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { loadCredentialProjections } from "./credential-projection.ts";
import { proveCredentials } from "./data-integrity.ts";
import { badgeBase, publishBadge, publishCard } from "./images.ts";
import { newerInKv } from "./kv-version.ts";
import { clearPublished } from "./outbox.ts";
import { warmWhileIdle } from "./warm-while-idle.ts";

export type PublishOutcome = "published" | "stale" | "missing";

export interface PublishOptions {
  /**
   * "baked": write `cred:<id>:badge.png` (republication: revocation, read-through refill; not a first publication).
   * "base": only make sure the achievement's base image is in KV; the edge bakes the JWT into it
   * on request (first publication after single or batch issuance: one KV write per credential instead of two).
   */
  badge?: "baked" | "base";
  /**
   * The projection was built from rows this caller has just inserted: no earlier projection can
   * be in KV, so the read-before-write version check is skipped. Never set it when republishing.
   */
  fresh?: boolean;
}

/**
 * Publishes one credential from its projection: images first, the JSON projection last, so a
 * projection in KV implies its badge (or its achievement's base image) is there too. A projection
 * already in KV with a higher version (a later revocation published first) is left alone.
 * Idempotent. Cards are separate (`warmCards`).
 */
export async function publishCredentialProjection(
  env: Pick<OriginEnv, "PROJECTIONS">,
  projection: CredentialProjection,
  opts: PublishOptions = {},
): Promise<PublishOutcome> {
  const key = kvKeys.credential(projection.id);
  if (!opts.fresh && (await newerInKv(env, key, projection.version))) return "stale";
  if (opts.badge === "base") await badgeBase(env, projection);
  else await publishBadge(env, projection);
  await env.PROJECTIONS.put(key, JSON.stringify(projection));
  return "published";
}

/** KV writes in flight at once when publishing many credentials. */
export const PUBLISH_CONCURRENCY = 32;

/** Runs `fn` over `items` with at most `limit` in flight; resolves when all are done. */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Publishes the given credentials (one database read for all, KV writes PUBLISH_CONCURRENCY at a
 * time); returns each one's outcome and the projections that were published. Then deletes the
 * outbox rows these publications satisfied; `outboxError` says that deletion failed (harmless: the
 * reconciler publishes those credentials once more).
 */
export async function publishCredentials(
  db: Database,
  env: Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET">,
  requests: { credentialId: string; fresh?: boolean }[],
): Promise<{ outcomes: Map<string, PublishOutcome | Error>; projections: Map<string, CredentialProjection>; outboxError: unknown }> {
  // An id asked for more than once (redelivery) is published once, checked unless every ask is fresh.
  const fresh = new Map<string, boolean>();
  for (const r of requests) fresh.set(r.credentialId, (fresh.get(r.credentialId) ?? true) && r.fresh === true);
  const ids = [...fresh.keys()];
  const projections = await loadCredentialProjections(db, env, ids);
  const outcomes = new Map<string, PublishOutcome | Error>();
  // Each achievement's base image once, before the concurrent writes: otherwise every worker misses
  // the in-memory copy at the same moment and renders the same PNG (PUBLISH_CONCURRENCY renders of
  // ~tens of ms of CPU each, a stall of the thread that also serves the API). A failure here is left
  // to the per-credential attempt below, which reports it per message.
  const perAchievement = new Map<string, CredentialProjection>();
  for (const p of projections.values()) if (!perAchievement.has(p.achievement.id)) perAchievement.set(p.achievement.id, p);
  for (const p of perAchievement.values()) await badgeBase(env, p).catch(() => undefined);
  await forEachBounded(ids, PUBLISH_CONCURRENCY, async (credentialId) => {
    const projection = projections.get(credentialId);
    if (!projection) return void outcomes.set(credentialId, "missing");
    try {
      // First publication of a new credential: its projection only, like batch issuance (the edge
      // bakes the badge into the achievement's image). A PNG put is the costliest KV write locally
      // (~1.3 ms, a new blob file) and ran on the thread that serves the API.
      const first = fresh.get(credentialId) === true;
      outcomes.set(credentialId, await publishCredentialProjection(env, projection, { fresh: first, badge: first ? "base" : "baked" }));
    } catch (error) {
      outcomes.set(credentialId, error instanceof Error ? error : new Error(String(error)));
    }
  });
  // The Data Integrity proofs of what was published (data-integrity.ts), after the projections so
  // that no proof appears before its credential. A failure here fails the publication of those
  // credentials: their outbox rows stay, and the job (or the reconciler) publishes them again.
  const toProve = ids.filter((id) => outcomes.get(id) === "published" || outcomes.get(id) === "stale");
  try {
    await proveCredentials(db, env, toProve);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const id of toProve) outcomes.set(id, failure);
  }
  // "stale": KV already holds a later version, which satisfies the row as well.
  const settled = ids.flatMap((credentialId) => {
    const outcome = outcomes.get(credentialId);
    const projection = projections.get(credentialId);
    return (outcome === "published" || outcome === "stale") && projection ? [{ credentialId, version: projection.version }] : [];
  });
  let outboxError: unknown = null;
  await clearPublished(db, settled).catch((error: unknown) => void (outboxError = error));
  return { outcomes, projections, outboxError };
}

/**
 * Renders social cards ahead of their first request while this isolate's API is idle
 * (warm-while-idle.ts). An existing card is kept (it shows nothing a revocation changes).
 */
export function warmCards(env: Pick<OriginEnv, "PROJECTIONS">, projections: CredentialProjection[]) {
  return warmWhileIdle(projections, async (projection) => {
    if ((await env.PROJECTIONS.get(kvKeys.cardPng(projection.id), "arrayBuffer")) !== null) return false;
    await publishCard(env, projection);
    return true;
  });
}
