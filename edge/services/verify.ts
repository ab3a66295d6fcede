// Verification at the edge with the shared verifier (signature, issuer key, dates, status): the
// same code as the CLI and the browser, fed from this deployment's projections only.
import { AppError } from "../../shared/http/problem.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import { verifyCredential } from "../../shared/verify/verify-credential.ts";
import type { SecuredCredential, VerificationResult } from "../../shared/verify/types.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";
import { createIssuerKeyResolver, headerKid } from "./issuer-keys.ts";
import { createEdgeStatusResolver, type StatusObservation } from "./status-lists.ts";

/** A verification and the status list version it used (for ETags). */
export interface EdgeVerification {
  result: VerificationResult;
  status: StatusObservation;
}

/** Options of `verifyAtEdge`: the deployment's base URL and, for stored credentials, the stored reason. */
export interface VerifyAtEdgeOptions {
  baseUrl: string;
  fallbackRevocationReason?: string;
  log?: Logger;
  /** The client key, for the origin read-through rate limit (services/rate-limit.ts). */
  client?: string;
  now?: number;
}

/**
 * Verifies a compact VC-JWT, or a credential object with a Data Integrity proof, against this
 * deployment's issuers and status lists. Throws only the client's 429 (origin read-through budget
 * spent while resolving the issuer or the status list): that says nothing about the credential, so
 * it must not become an "unknown" verdict that a page or a cache would keep.
 */
export async function verifyAtEdge(
  env: EdgeEnv,
  exec: ExecutionContext,
  secured: SecuredCredential,
  opts: VerifyAtEdgeOptions,
): Promise<EdgeVerification> {
  const seen: StatusObservation = {};
  let limited: AppError | undefined;
  // The shared verifier turns a resolver's error into a verdict; a rate limit is kept aside instead.
  const noteLimit = <A extends unknown[], R>(resolve: (...args: A) => R | Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await resolve(...args);
    } catch (error) {
      if (error instanceof AppError && error.status === 429) limited ??= error;
      throw error;
    }
  };
  const result = await verifyCredential(secured, {
    resolveIssuerKeys: noteLimit(createIssuerKeyResolver(env, exec, opts.baseUrl, expectedKidOf(secured), { log: opts.log, client: opts.client })),
    resolveStatus: noteLimit(
      createEdgeStatusResolver(env, exec, opts.baseUrl, seen, {
        fallbackReason: opts.fallbackRevocationReason,
        log: opts.log,
        client: opts.client,
      }),
    ),
    now: opts.now,
  });
  if (limited) throw limited;
  edgeMetrics.increment(`laurel_edge_verifications_${result.status}_total`);
  return { result, status: seen };
}

/** The key the credential names (unverified): the JWT header's kid, or the proof's verificationMethod. */
function expectedKidOf(secured: SecuredCredential): string | undefined {
  if (typeof secured === "string") return headerKid(secured);
  const proof = secured.proof as { verificationMethod?: unknown } | undefined;
  return typeof proof?.verificationMethod === "string" ? proof.verificationMethod : undefined;
}
