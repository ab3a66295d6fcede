import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { achievements } from "./achievements.ts";
import { orgs } from "./orgs.ts";

/** An LMS course whose completions become credentials of one achievement (docs/integrations.md). */
export const integrations = sqliteTable(
  "integrations",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    kind: text("kind", { enum: ["canvas", "moodle"] }).notNull(),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    /** The LMS API token, AES-GCM sealed (services/integrations/token-crypto.ts); never answered. */
    tokenEncrypted: text("token_encrypted").notNull(),
    courseId: text("course_id").notNull(),
    achievementId: text("achievement_id").notNull().references(() => achievements.id),
    /** As the client wrote it (`hourly`, `daily`, `every N minutes`); null: synced on request only. */
    schedule: text("schedule"),
    scheduleMinutes: integer("schedule_minutes"),
    /** When the cron next starts a sync; null without a schedule. */
    nextSyncAt: integer("next_sync_at", { mode: "timestamp_ms" }),
    /** LMS requests per second at most (the gateway's own limit). */
    requestsPerSecond: integer("requests_per_second").notNull().default(5),
    /** LMS requests in flight at most. */
    maxConcurrency: integer("max_concurrency").notNull().default(2),
    /**
     * The earliest time (epoch ms) the next LMS request of this integration may start: each request
     * reserves its slot by moving it on (services/integrations/pacer.ts), so the rate holds across
     * steps and overlapping syncs.
     */
    rateNextAt: integer("rate_next_at"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("integrations_org_created_idx").on(t.orgId, t.createdAt, t.id), index("integrations_next_sync_idx").on(t.nextSyncAt)],
);

/**
 * One run of an integration. Work is done in steps (one queue message each, services/integrations/
 * sync-step.ts); `step` is the number of the step that may run next, advanced by compare-and-set so
 * a redelivered message never runs a step twice.
 */
export const integrationSyncs = sqliteTable(
  "integration_syncs",
  {
    id: text("id").primaryKey(),
    integrationId: text("integration_id").notNull().references(() => integrations.id),
    orgId: text("org_id").notNull().references(() => orgs.id),
    trigger: text("trigger", { enum: ["api", "schedule"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "completed", "completed_with_errors", "failed"] }).notNull(),
    /** `list`: reading the LMS's learners page by page; `issue`: checking/issuing the stored learners. */
    phase: text("phase", { enum: ["list", "issue"] }).notNull().default("list"),
    /** The next Canvas page URL (list phase). */
    cursor: text("cursor"),
    step: integer("step").notNull().default(0),
    pages: integer("pages").notNull().default(0),
    failureReason: text("failure_reason"),
    requestId: text("request_id"),
    /** W3C trace context of the span that started the sync: a re-driven step continues that trace. */
    traceparent: text("traceparent"),
    tracestate: text("tracestate"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("integration_syncs_integration_idx").on(t.integrationId, t.createdAt, t.id),
    index("integration_syncs_status_idx").on(t.status, t.updatedAt),
  ],
);

/**
 * Every LMS learner a sync saw, with what became of them; a sync's counts and errors are counted from
 * these rows (so a redelivered step never counts twice). `record` keeps the offending LMS record of an
 * error (truncated).
 */
export const integrationSyncLearners = sqliteTable(
  "integration_sync_learners",
  {
    syncId: text("sync_id").notNull().references(() => integrationSyncs.id),
    lmsUserId: text("lms_user_id").notNull(),
    name: text("name"),
    email: text("email"),
    /**
     * pending: a completion to issue; check: enrolled, completion not yet asked (Moodle);
     * issued; skipped (already issued); not_completed (Moodle); error.
     */
    state: text("state", { enum: ["pending", "check", "issued", "skipped", "not_completed", "error"] }).notNull(),
    /** 1: the LMS reports the course completed; 0: not (Moodle); null: not known (yet). */
    completed: integer("completed"),
    credentialId: text("credential_id"),
    errorCode: text("error_code"),
    errorDetail: text("error_detail"),
    record: text("record"),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.lmsUserId] }), index("integration_sync_learners_state_idx").on(t.syncId, t.state)],
);

/**
 * The durable "this LMS learner got this course's credential" record: kept as long as the
 * integration (Idempotency-Key records are purged after 24 h), so re-syncing months later never
 * issues again.
 */
export const integrationCredentials = sqliteTable(
  "integration_credentials",
  {
    integrationId: text("integration_id").notNull().references(() => integrations.id),
    courseId: text("course_id").notNull(),
    lmsUserId: text("lms_user_id").notNull(),
    credentialId: text("credential_id").notNull(),
    syncId: text("sync_id").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.courseId, t.lmsUserId] })],
);
