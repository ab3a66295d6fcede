// The messages on the origin's one work queue (laurel-jobs). Every job carries the request id of
// the request that caused it, and every consumer is idempotent: queues deliver at least once.

export type Job =
  /** Issue rows [fromRow, toRow) of a batch; rows already issued or failed are skipped. */
  | { type: "batch.issue"; batchId: string; orgId: string; fromRow: number; toRow: number; requestId: string }
  /**
   * Write the credential's KV projection, baked badge PNG and social card. `card: "lazy"` (batch
   * issuance) skips the card: the edge has it rendered on first request through EdgeApi.renderCard.
   */
  | { type: "credential.publish"; credentialId: string; requestId: string; card?: "eager" | "lazy" }
  /** Write the issuer's DID document and JWKS. */
  | { type: "issuer.publish"; orgId: string; requestId: string }
  /** Re-sign the status list credential and push it to KV and the edge's Durable Object. */
  | { type: "status-list.publish"; statusListId: string; requestId: string };

export type JobType = Job["type"];

/** The queues the origin consumes (origin/wrangler.toml). */
export const QUEUES = { jobs: "laurel-jobs", deadLetters: "laurel-jobs-dlq" } as const;

