// The messages on the origin's work queues: batch.issue on laurel-batches, notification.send on
// laurel-notifications, credential.prove on laurel-proofs, every other job on laurel-jobs (one
// consumer handles them all). Every job carries the request id of the request that
// caused it, and every consumer is idempotent: queues deliver at least once.
import type { TraceCarrier } from "../../shared/observability/trace-context.ts";

/**
 * Beside `requestId`, every message the origin sends carries the sending span's W3C trace context
 * (stamped by the producer bindings, origin/tracing/traced-env.ts): the consumer's span is its child.
 */
export interface TracedMessage {
  trace?: TraceCarrier;
}

export type Job =
  /** Issue rows [fromRow, toRow) of a batch; rows already issued or failed are skipped. */
  | { type: "batch.issue"; batchId: string; orgId: string; fromRow: number; toRow: number; requestId: string }
  /**
   * Write the credential's KV projection and badge (first publication: only the achievement's base image, the edge bakes; later: the baked PNG), then warm its social card when the
   * isolate is idle. `card: "lazy"` skips the card: the edge has it rendered on first request
   * through EdgeApi.renderCard. `fresh`: sent by issuance right after the insert, so no earlier
   * projection can be in KV and the read-before-write version check is skipped (the projection is
   * still read from the database when the job runs, so a late job publishes the current state).
   */
  | { type: "credential.publish"; credentialId: string; requestId: string; card?: "eager" | "lazy"; fresh?: boolean }
  /** Write the issuer's DID document and JWKS. */
  | { type: "issuer.publish"; orgId: string; requestId: string }
  /** Re-sign the status list credential and push it to KV and the edge's Durable Object. */
  | { type: "status-list.publish"; statusListId: string; requestId: string }
  /**
   * Re-sign, with the active key, the next chunk of credentials the revoked key `kid` signed (ids
   * after `after`) and republish them; each job enqueues the next. `sweep`: the last pass, from the
   * start, once no isolate can still sign with the revoked key (origin/services/signing/resign.ts).
   */
  | { type: "key.resign"; orgId: string; kid: string; requestId: string; after?: string; sweep?: boolean }
  /** Email the recipient about their credential, once per notification instance (services/notifications/send.ts). */
  | { type: "notification.send"; credentialId: string; kind: "issued" | "revoked"; requestId: string }
  /**
   * Give these batch-issued credentials their Data Integrity proofs (services/publication/batch-proofs.ts),
   * on laurel-proofs. A credential that already has one keeps it (same proofValue).
   */
  | { type: "credential.prove"; credentialIds: string[]; requestId: string };

/** The queues the origin consumes (origin/wrangler.toml). */
export const QUEUES = { jobs: "laurel-jobs", batches: "laurel-batches", deadLetters: "laurel-jobs-dlq", webhooks: "laurel-webhooks", notifications: "laurel-notifications", proofs: "laurel-proofs" } as const;

