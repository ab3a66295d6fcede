// issuer.publish: the org's DID document and JWKS with every key it ever had (active and retired;
// the DID document also lists each one's paired Ed25519 Data Integrity key as a Multikey),
// so credentials signed before a rotation keep verifying; revoked keys are left out (and named in
// `revokedKeys`).
import { eq } from "drizzle-orm";
import type { JWK } from "jose";
import { kvKeys, type IssuerProjection } from "../../../shared/kv-keys.ts";
import { buildDidDocument, buildJwks } from "../../../shared/keys/index.ts";
import type { Database } from "../../db/client.ts";
import { orgs } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { listSigningKeys } from "../signing/signing-keys.ts";
import { newerInKv } from "./kv-version.ts";
import { didForSlug } from "./public-url.ts";
import { recordIssuerPublished } from "./published-versions.ts";

type Env = Pick<OriginEnv, "PUBLIC_BASE_URL">;

/**
 * The issuer projection, by org id or slug; null when no such org. Its version is the time of the
 * latest key change, so the same key set always gives the same version and a rotation a higher one.
 * The reconciler computes the same version in SQL (published-versions.ts `issuersBehind`): change both together.
 */
export async function loadIssuerProjection(db: Database, env: Env, by: { orgId: string } | { slug: string }) {
  const [org] = await db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url })
    .from(orgs)
    .where("orgId" in by ? eq(orgs.id, by.orgId) : eq(orgs.slug, by.slug))
    .limit(1);
  if (!org) return null;
  const allKeys = await listSigningKeys(db, org.id);
  const keys = allKeys.filter((k) => k.status !== "revoked");
  const did = didForSlug(env, org.slug);
  const jwks = keys.map((k) => ({ ...(k.publicJwk as JWK), kid: k.kid, alg: k.alg }));
  // Ed25519 keys of pairs made before Data Integrity are added later (diCreatedAt): a change too.
  const version = allKeys.reduce(
    (v, k) => Math.max(v, k.createdAt.getTime(), k.retiredAt?.getTime() ?? 0, k.revokedAt?.getTime() ?? 0, k.diCreatedAt?.getTime() ?? 0),
    0,
  );
  const multikeys = keys.flatMap((k) => (k.diPublicKeyMultibase ? [k.diPublicKeyMultibase] : []));
  const projection: IssuerProjection = {
    slug: org.slug,
    did,
    name: org.name,
    didDocument: buildDidDocument(did, jwks, multikeys) as unknown as Record<string, unknown>,
    jwks: buildJwks(did, jwks) as { keys: Record<string, unknown>[] },
    version,
  };
  const revoked = allKeys.filter((k) => k.status === "revoked");
  if (revoked.length > 0) {
    // A revoked pair's Ed25519 key is named too, so a Data Integrity verifier can say "revoked".
    projection.revokedKeys = revoked.flatMap((k) => {
      const revokedAt = (k.revokedAt ?? k.createdAt).toISOString();
      const jwt = { kid: `${did}#${k.kid}`, revokedAt };
      return k.diPublicKeyMultibase ? [jwt, { kid: `${did}#${k.diPublicKeyMultibase}`, revokedAt }] : [jwt];
    });
  }
  if (org.url) projection.url = org.url;
  return projection;
}

/** Writes `issuer:<slug>` unless KV already holds a newer version. */
export async function publishIssuerProjection(env: Pick<OriginEnv, "PROJECTIONS">, projection: IssuerProjection) {
  const key = kvKeys.issuer(projection.slug);
  if (await newerInKv(env, key, projection.version)) return "stale" as const;
  await env.PROJECTIONS.put(key, JSON.stringify(projection));
  return "published" as const;
}

/**
 * issuer.publish for an org; "missing" when the org does not exist. Records the published version
 * in the database afterwards, so the reconciler knows the edge holds it.
 */
export async function publishIssuer(db: Database, env: Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL">, orgId: string) {
  const projection = await loadIssuerProjection(db, env, { orgId });
  if (!projection) return "missing" as const;
  const outcome = await publishIssuerProjection(env, projection);
  await recordIssuerPublished(db, orgId, projection.version);
  return outcome;
}
