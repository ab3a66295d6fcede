// Publication of credential sets (shared/credential-sets.ts): one KV value per set of
// batch-issued credentials.
import { kvKeys, type CredentialProjection, type CredentialSetProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { loadCredentialSet } from "./credential-projection.ts";

/** Writes the set's KV value from its projections (all of its members). */
export async function writeCredentialSet(env: Pick<OriginEnv, "PROJECTIONS">, setId: string, credentials: CredentialProjection[]): Promise<void> {
  const value: CredentialSetProjection = { setId, credentials };
  await env.PROJECTIONS.put(kvKeys.credentialSet(setId), JSON.stringify(value));
}

/**
 * Rewrites the set's KV value from the database (every member as stored now); returns the
 * members, none when no credential has this set id. Idempotent.
 */
export async function republishCredentialSet(
  db: Database,
  env: Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL">,
  setId: string,
): Promise<CredentialProjection[]> {
  const members = await loadCredentialSet(db, env, setId);
  if (members.length > 0) await writeCredentialSet(env, setId, members);
  return members;
}
