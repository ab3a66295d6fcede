// credential.publish: the credential's projection, badge and card in KV.
import { kvKeys, type CredentialProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { loadCredentialProjections } from "./credential-projection.ts";
import { publishBadge, publishCard } from "./images.ts";

export type PublishOutcome = "published" | "stale" | "missing";

/**
 * Publishes one credential from its projection: images first, the JSON projection last, so a
 * projection in KV implies its badge is there too. A projection already in KV with a higher
 * version (a later revocation published first) is left alone. The card shows nothing that a
 * revocation changes, so an existing card is kept (a card costs ~50-250 ms of CPU to draw).
 * Idempotent.
 */
export async function publishCredentialProjection(
  env: Pick<OriginEnv, "PROJECTIONS">,
  projection: CredentialProjection,
  opts: { card: "eager" | "lazy" },
): Promise<PublishOutcome> {
  const key = kvKeys.credential(projection.id);
  const held = await env.PROJECTIONS.get<CredentialProjection>(key, "json");
  if (held && held.version > projection.version) return "stale";
  await publishBadge(env, projection);
  if (opts.card === "eager" && (await env.PROJECTIONS.get(kvKeys.cardPng(projection.id), "arrayBuffer")) === null) {
    await publishCard(env, projection);
  }
  await env.PROJECTIONS.put(key, JSON.stringify(projection));
  return "published";
}

/** Publishes the given credentials (one database read for all); returns each one's outcome. */
export async function publishCredentials(
  db: Database,
  env: Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL">,
  requests: { credentialId: string; card: "eager" | "lazy" }[],
): Promise<Map<string, PublishOutcome | Error>> {
  const projections = await loadCredentialProjections(db, env, [...new Set(requests.map((r) => r.credentialId))]);
  const outcomes = new Map<string, PublishOutcome | Error>();
  await Promise.all(
    requests.map(async ({ credentialId, card }) => {
      const projection = projections.get(credentialId);
      if (!projection) return void outcomes.set(credentialId, "missing");
      try {
        outcomes.set(credentialId, await publishCredentialProjection(env, projection, { card }));
      } catch (error) {
        outcomes.set(credentialId, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  return outcomes;
}
