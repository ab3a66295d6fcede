import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { achievements } from "./achievements.ts";
import { orgs } from "./orgs.ts";

/** A batch issuance request; progress is counted from its rows. */
export const batches = sqliteTable(
  "batches",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    achievementId: text("achievement_id").notNull().references(() => achievements.id),
    status: text("status", { enum: ["queued", "running", "completed", "completed_with_errors"] }).notNull(),
    total: integer("total").notNull(),
    requestId: text("request_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    /**
     * When the proof sweep found every credential of this (completed) batch with its Data Integrity
     * proof (services/publication/batch-proof-sweep.ts); null until then, so the sweep looks only here.
     */
    proofsDoneAt: integer("proofs_done_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("batches_org_idx").on(t.orgId, t.createdAt),
    index("batches_proofs_pending_idx").on(t.completedAt).where(sql`proofs_done_at IS NULL`),
  ],
);

/**
 * Every row of a batch, stored when the batch is accepted, so nothing is lost if a consumer dies:
 * each row ends `issued` (with its credential) or `failed` (with a code and detail).
 */
export const batchRows = sqliteTable(
  "batch_rows",
  {
    batchId: text("batch_id").notNull().references(() => batches.id),
    row: integer("row").notNull(), // 1-based data row number as the client sent it
    name: text("name"),
    email: text("email"),
    validUntil: text("valid_until"),
    state: text("state", { enum: ["pending", "issued", "failed"] }).notNull(),
    credentialId: text("credential_id"),
    errorCode: text("error_code"),
    errorDetail: text("error_detail"),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.row] }), index("batch_rows_state_idx").on(t.batchId, t.state)],
);
