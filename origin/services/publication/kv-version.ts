// Projections carry a version: a writer leaves a newer one in KV alone, so a late or
// out-of-order job never rolls a revocation or a key rotation back (docs/storage-schema.md).
import type { OriginEnv } from "../../env.ts";

/** Whether KV already holds, under `key`, a projection newer than `version`. */
export async function newerInKv(env: Pick<OriginEnv, "PROJECTIONS">, key: string, version: number): Promise<boolean> {
  const held = await env.PROJECTIONS.get<{ version: number }>(key, "json");
  return held !== null && held.version > version;
}
