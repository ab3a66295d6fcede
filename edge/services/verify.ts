// Verification at the edge with the shared verifier (signature, issuer key, dates, status): the
// same code as the CLI and the browser, fed from this deployment's projections only.
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
 * deployment's issuers and status lists; never throws.
 */
export async function verifyAtEdge(
  env: EdgeEnv,
  exec: ExecutionContext,
  secured: SecuredCredential,
  opts: VerifyAtEdgeOptions,
): Promise<EdgeVerification> {
  const seen: StatusObservation = {};
  const result = await verifyCredential(secured, {
    resolveIssuerKeys: createIssuerKeyResolver(env, exec, opts.baseUrl, expectedKidOf(secured), { log: opts.log, client: opts.client }),
    resolveStatus: createEdgeStatusResolver(env, exec, opts.baseUrl, seen, {
      fallbackReason: opts.fallbackRevocationReason,
      log: opts.log,
      client: opts.client,
    }),
    now: opts.now,
  });
  edgeMetrics.increment(`laurel_edge_verifications_${result.status}_total`);
  return { result, status: seen };
}

/** The key the credential names (unverified): the JWT header's kid, or the proof's verificationMethod. */
function expectedKidOf(secured: SecuredCredential): string | undefined {
  if (typeof secured === "string") return headerKid(secured);
  const proof = secured.proof as { verificationMethod?: unknown } | undefined;
  return typeof proof?.verificationMethod === "string" ? proof.verificationMethod : undefined;
}
