// Issuer keys for verification at the edge: only did:web issuers hosted by this deployment
// (`did:web:<PUBLIC_BASE_URL host>:issuers:<slug>`) are resolved, from their KV projection.
// Nothing is ever fetched from a URL found in user input (no SSRF through POST /api/v1/verify).
import { decodeProtectedHeader, type JWK } from "jose";
import { keysFromDocument } from "../../shared/keys/lookup.ts";
import type { IssuerProjection } from "../../shared/kv-keys.ts";
import { issuerDid } from "../../shared/keys/did-web.ts";
import type { IssuerKeyResolver, IssuerKeySet } from "../../shared/vc-jwt/verify.ts";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import type { EdgeEnv } from "../env.ts";
import { callOrigin } from "./origin.ts";
import { getIssuerProjection, type ReadOptions } from "./projections.ts";

/** Thrown by the resolver for issuers this deployment does not host; verification reports `unknown`. */
export class ForeignIssuerError extends Error {
  override readonly name = "ForeignIssuerError";
}

// Parsed keys per issuer projection version: the JWK objects stay identical between requests, so
// shared/vc-jwt's key cache hits its WeakMap fast path and never re-imports.
const parsed = new TtlLru<{ version: number; set: IssuerKeySet }>(1_000, 10 * 60_000);
// A credential naming a kid we do not list yet (key rotation racing KV propagation) may ask the
// origin for a fresh issuer projection, once per issuer per 30 s.
const refreshedAt = new TtlLru<true>(1_000, 30_000);

/** The slug of an issuer DID hosted by this deployment, or null for any other DID. */
export function localIssuerSlug(did: string, baseUrl: string): string | null {
  const match = /:issuers:([a-z0-9][a-z0-9-]{0,62})$/i.exec(did);
  if (!match?.[1]) return null;
  try {
    return issuerDid(baseUrl, match[1]) === did ? match[1] : null;
  } catch {
    return null;
  }
}

// The published keys plus the revoked kids, so a token signed by a revoked key is reported as such.
function keysOf(projection: Pick<IssuerProjection, "did" | "version" | "jwks" | "didDocument" | "revokedKeys">): IssuerKeySet {
  const hit = parsed.get(projection.did);
  // Never step back to an older key list (a refresh from the origin may be ahead of KV).
  if (hit && hit.version >= projection.version) return hit.set;
  // The JWKS, plus the DID document's methods it lacks (the Ed25519 Multikeys of Data Integrity
  // proofs are published in did.json; a JWKS may not carry them).
  const fromJwks = keysFromDocument(projection.jwks, projection.did);
  const listed = new Set(fromJwks.map((k) => k.kid));
  const keys: JWK[] = [...fromJwks, ...keysFromDocument(projection.didDocument, projection.did).filter((k) => !listed.has(k.kid))];
  const revokedKids = (projection.revokedKeys ?? []).map((k) => k.kid);
  const set = { keys, revokedKids };
  parsed.set(projection.did, { version: projection.version, set });
  return set;
}

/** The `kid` of a compact JWS's protected header (unverified; header only), else undefined. */
export function headerKid(jwt: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jwt.trim());
    return typeof kid === "string" ? kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An IssuerKeyResolver over this deployment's issuer projections. `expectedKid` (the JWT header's
 * kid, unverified) only decides whether a stale key list is worth one refresh from the origin.
 */
export function createIssuerKeyResolver(
  env: EdgeEnv,
  exec: ExecutionContext,
  baseUrl: string,
  expectedKid?: string,
  opts: ReadOptions = {},
): IssuerKeyResolver {
  return async (did) => {
    const slug = localIssuerSlug(did, baseUrl);
    if (!slug) throw new ForeignIssuerError(`issuer ${did} is not hosted by ${baseUrl}; this verifier resolves no remote issuers`);
    const projection = await getIssuerProjection(env, exec, slug, opts);
    if (!projection || projection.did !== did) return null;
    const keys = keysOf(projection);
    const listed = (kid: string) => keys.keys.some((k) => k.kid === kid) || keys.revokedKids.includes(kid);
    if (expectedKid && !listed(expectedKid) && !refreshedAt.get(slug)) {
      refreshedAt.set(slug, true);
      try {
        const fresh = await callOrigin(env, "issuerProjection", slug);
        if (fresh && fresh.did === did && fresh.version > projection.version) return keysOf(fresh);
      } catch (error) {
        opts.log?.warn("issuer refresh failed", { slug, error });
      }
    }
    return keys;
  };
}
