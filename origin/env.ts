import type { RequestContext } from "../shared/observability/request-context.ts";
import type { OrgRecord } from "./services/orgs/org-record.ts";
import type { IdempotencyClaim, StoredAnswer } from "./services/idempotency/store.ts";

/** Bindings of the origin Worker (wrangler.toml in this folder). */
export interface OriginEnv {
  SERVICE_NAME: string;
  /** Turso in production (`libsql://…`); the local Hrana server in development. */
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Deadline of each database call in ms (default 3000): past it the API answers 503 DATABASE_UNAVAILABLE. */
  LIBSQL_TIMEOUT_MS?: string;
  /** Admin token for `POST /v1/orgs`. Unset disables admin calls (no default in production). */
  ADMIN_TOKEN?: string;
  /** Encrypts issuers' private signing keys at rest (AES-GCM key derived with HKDF). A secret in production. */
  KEY_ENCRYPTION_SECRET: string;
  PUBLIC_BASE_URL?: string;
  /** Days a signed status list stays valid (whole days, 1-366; default 7). The cron re-signs before. */
  STATUS_LIST_VALIDITY_DAYS?: string | number;
  PROJECTIONS: KVNamespace;
  STATUS_LISTS: DurableObjectNamespace;
  /** laurel-jobs: publication jobs (origin/queues/jobs.ts). */
  JOBS: Queue;
  /** laurel-batches: batch.issue jobs. */
  BATCHES: Queue;
  DEAD_LETTERS: Queue;
}

/** Hono's typing for the origin app: bindings plus per-request variables. */
export interface OriginHono {
  Bindings: OriginEnv;
  Variables: {
    rc: RequestContext;
    /** The authenticated org (set by `apiKeyAuth`); absent on admin and public routes. */
    org: OrgRecord;
    /** The Idempotency-Key this request claimed (set by `idempotent()`). */
    idempotency?: IdempotencyClaim;
    /**
     * The answer a handler committed for that claim in the transaction of its effect (issuance
     * returns it as `storedAnswer`): `idempotent()` then keeps the record as it is.
     */
    idempotentAnswerStored?: StoredAnswer;
    /** A JSON batch body as parsed by the batch route's body check (parsed once, up to 5 MB). */
    batchJson?: unknown;
  };
}
