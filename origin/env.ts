import * as z from "zod/mini";
import { defineSettings, publicBaseUrlSetting, wholeNumber } from "../shared/config/settings.ts";
import { allowLocalHttpTargetsSetting } from "./services/outbound/target-url.ts";
import { mailFromSetting, mailOutboxUrlSetting, mailSecretSetting, mailTransportSetting } from "./services/mail/settings.ts";
import type { RequestContext } from "../shared/observability/request-context.ts";
import { faultInjectionSetting } from "./ops/faults-setting.ts";
import type { MetricsAggregatorNamespace } from "../shared/observability/aggregator-rpc.ts";
import type { TraceContext } from "../shared/observability/trace-context.ts";
import { otlpEndpointSetting, otlpHeadersSetting } from "../shared/observability/otlp-settings.ts";
import { DEFAULT_DATABASE_TIMEOUT_MS } from "./db/deadline.ts";
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
  /** The edge's public origin; every public URL is built from it (shared/public-urls.ts). Required. */
  PUBLIC_BASE_URL?: string;
  /** Days a signed status list stays valid (whole days, 1-366; default 7). The cron re-signs before. */
  STATUS_LIST_VALIDITY_DAYS?: string | number;
  /**
   * The origin's own public URL (console, recipients' wallet pages, sign-in and setup links in
   * emails). Required: links in emails are built by queue consumers, where no request URL exists.
   */
  ORIGIN_BASE_URL?: string;
  /**
   * "true" lets webhook receivers and LMS base URLs be loopback hosts over http (`http://127.0.0.1:*`).
   * Local development only (`npm start` sets it); off by default and in production.
   */
  ALLOW_LOCAL_HTTP_TARGETS?: string;
  /** Recipient emails (docs/recipients.md): "outbox" (local file outbox) or "resend"; unset, notifications are recorded as skipped. */
  MAIL_TRANSPORT?: string;
  /** The local mail outbox server (MAIL_TRANSPORT=outbox), e.g. http://127.0.0.1:8025. */
  MAIL_OUTBOX_URL?: string;
  /** Bearer token of the local mail outbox (a secret, made per data folder like the libSQL token). */
  MAIL_OUTBOX_TOKEN?: string;
  /** The mail provider's API key (MAIL_TRANSPORT=resend). A secret. */
  MAIL_API_KEY?: string;
  /** Sender address of recipient emails; the display name is the issuing org's name. */
  MAIL_FROM?: string;
  /** "true" turns on the fault-injection routes (origin/ops/faults.ts) for rehearsals; off by default, never in production. */
  FAULT_INJECTION?: string;
  /** Signing secret (`whsec_…`) of Resend's email-event webhooks (POST /webhooks/resend); unset, that route is off. */
  RESEND_WEBHOOK_SECRET?: string;
  PROJECTIONS: KVNamespace;
  STATUS_LISTS: DurableObjectNamespace;
  /** laurel-jobs: publication jobs (origin/queues/jobs.ts). */
  JOBS: Queue;
  /** laurel-batches: batch.issue jobs. */
  BATCHES: Queue;
  DEAD_LETTERS: Queue;
  /** laurel-notifications: notification.send jobs (recipient emails), apart from publication. */
  NOTIFICATIONS: Queue;
  /** laurel-proofs: credential.prove jobs (Data Integrity proofs of batch credentials), apart from publication. */
  PROOFS: Queue;
  /** laurel-webhooks: webhook deliveries (origin/queues/webhooks.ts). */
  WEBHOOKS: Queue;
  /** laurel-integrations: LMS sync steps (origin/queues/integrations.ts). */
  INTEGRATIONS: Queue;
  /** The stack-wide metrics aggregator (the edge's MetricsAggregator; docs/operations.md "Metrics"). */
  METRICS?: MetricsAggregatorNamespace;
  /** Workers Analytics Engine dataset of the origin's requests and jobs (docs/operations.md "Metrics"). */
  METRICS_EVENTS?: AnalyticsEngineDataset;
  /** Where firing and resolved alerts are sent (docs/operations.md "Alerts"); unset, alerts are only logged. */
  ALERT_WEBHOOK_URL?: string;
  /** Signing secret of the alert webhook (`whsec_…`, Standard Webhooks, like customer endpoints). */
  ALERT_WEBHOOK_SECRET?: string;
  /** Not a binding: the span a request or queue message runs in, set on its copy of the env (origin/tracing/traced-env.ts). */
  TRACE?: TraceContext;
  /** OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`); unset, no spans are exported (origin/tracing/otel.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Headers of the exports, `name=value,name=value` (values URL-encoded), e.g. `Authorization=Bearer%20…`. A secret. */
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  /** Where /ops/traces looks traces up by request or trace id (the local OTLP receiver); sent the same headers. */
  OTEL_TRACES_QUERY_URL?: string;
}

/**
 * The origin's settings, all checked before any request is served (answer: 503 NOT_CONFIGURED
 * naming the setting, app.ts). Code reads each one with `originSetting`, so a queue consumer or cron
 * task meeting a broken setting fails with the same SettingError naming it, and is retried.
 */
export const originSettings = defineSettings({
  LIBSQL_URL: z.url({ protocol: /^(libsql|https?|wss?)$/, error: "must be a libsql://, https:// or http:// URL" }),
  LIBSQL_AUTH_TOKEN: z.optional(z.string()),
  LIBSQL_TIMEOUT_MS: z._default(wholeNumber(1, 60_000, "must be a whole number of milliseconds from 1 to 60000"), DEFAULT_DATABASE_TIMEOUT_MS),
  ADMIN_TOKEN: z.optional(z.string()),
  KEY_ENCRYPTION_SECRET: z.string({ error: "must be a string" }).check(z.minLength(16, { error: "must be at least 16 characters long" })),
  PUBLIC_BASE_URL: publicBaseUrlSetting,
  STATUS_LIST_VALIDITY_DAYS: z._default(wholeNumber(1, 366, "must be a whole number of days from 1 to 366"), 7),
  ORIGIN_BASE_URL: publicBaseUrlSetting,
  ALLOW_LOCAL_HTTP_TARGETS: allowLocalHttpTargetsSetting,
  MAIL_TRANSPORT: mailTransportSetting,
  MAIL_OUTBOX_URL: mailOutboxUrlSetting,
  MAIL_OUTBOX_TOKEN: mailSecretSetting,
  MAIL_API_KEY: mailSecretSetting,
  MAIL_FROM: mailFromSetting,
  FAULT_INJECTION: faultInjectionSetting,
  ALERT_WEBHOOK_URL: z.optional(z.url({ protocol: /^https?$/, error: "must be an https:// (or local http://) URL" })),
  ALERT_WEBHOOK_SECRET: z.optional(z.string().check(z.regex(/^whsec_[A-Za-z0-9+/=]{32,}$/, { error: "must be whsec_ followed by base64 of 24 to 64 random bytes" }))),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpointSetting,
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeadersSetting,
  OTEL_TRACES_QUERY_URL: otlpEndpointSetting,
  RESEND_WEBHOOK_SECRET: z.optional(z.string()),
});

/** One parsed origin setting (see `originSettings`); throws SettingError naming it when missing or malformed. */
export const originSetting = originSettings.read;

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
