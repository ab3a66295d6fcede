// What every view of a stored credential starts from (the HTML page, the embed, the JSON verify):
// its projection plus a fresh edge verification of the signed JWT. Never just stored data.
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { edgeSetting, type EdgeEnv } from "../env.ts";
import { credentialIdFrom } from "../../shared/ids.ts";
import { getCredentialProjection } from "./projections.ts";
import type { CountedEvent } from "../../shared/origin-rpc.ts";
import { recordEvent } from "./scans.ts";
import { verifyAtEdge } from "./verify.ts";

/** A stored credential, verified now. */
export interface VerifiedCredentialView {
  projection: CredentialProjection;
  /** The contract's VerificationResult from verifying `projection.jwt` at the edge just now. */
  result: VerificationResult;
  /**
   * Strong validator for anything rendered from this view: projection version, status list
   * version and status (the status changes with time too, e.g. on expiry). Quoted, ready for ETag.
   */
  etag: string;
}

/** Options of `loadVerifiedCredential`. */
export interface LoadOptions {
  /** False: count nothing even when `count` is set (kept for callers written before `count`). */
  countScan?: boolean;
  /**
   * What the view counts as in the issuer's analytics (edge/README.md "Analytics"); nothing is counted
   * without it. Counting runs in waitUntil and never fails the view.
   */
  count?: CountedEvent;
  /** The request's User-Agent: self-announced bots are counted apart. */
  userAgent?: string | null;
  /** Request logger for degraded paths (origin or authority failures). */
  log?: Logger;
  /** The client key (services/rate-limit.ts clientKey) for the origin read-through rate limit. */
  client?: string;
}

/**
 * STABLE API for the page routes (edge/routes/pages.ts):
 *   loadVerifiedCredential(env, exec, id, opts?) → Promise<VerifiedCredentialView | null>
 * `id` is the raw `:id` path segment; null when it is not a UUID or no such credential exists
 * (answer 404). Reads memory → KV → origin (misses cached 60 s; origin read-throughs limited per
 * `client`, else a 429 AppError is thrown) and verifies signature, issuer key,
 * dates and status (StatusListAuthority DO, 2 s isolate cache, KV fallback) with shared/verify.
 */
export async function loadVerifiedCredential(
  env: EdgeEnv,
  exec: ExecutionContext,
  id: string,
  opts: LoadOptions = {},
): Promise<VerifiedCredentialView | null> {
  const credentialId = credentialIdFrom(id);
  if (!credentialId) return null;
  const projection = await getCredentialProjection(env, exec, credentialId, { log: opts.log, client: opts.client });
  if (!projection) return null;
  const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
  const { result, status } = await verifyAtEdge(env, exec, projection.jwt, {
    baseUrl,
    fallbackRevocationReason: projection.revocation?.reason,
    log: opts.log,
    client: opts.client,
  });
  if (opts.count && opts.countScan !== false) recordEvent(env, exec, { credentialId, event: opts.count, userAgent: opts.userAgent }, opts.log);
  const etag = `"c${projection.version}-s${status.version ?? "x"}-${result.status}"`;
  return { projection, result, etag };
}
