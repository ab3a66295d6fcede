import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { achievements } from "./achievements.ts";
import { orgs } from "./orgs.ts";
import { statusLists } from "./status-lists.ts";

/** An issued credential. The signed VC-JWT is the credential; the other columns index it. */
export const credentials = sqliteTable(
  "credentials",
  {
    id: text("id").primaryKey(), // UUID; JSON id is urn:uuid:<id>
    orgId: text("org_id").notNull().references(() => orgs.id),
    achievementId: text("achievement_id").notNull().references(() => achievements.id),
    /** Set for batch issuance: the batch and its row number. Unique together: a row issues once. */
    batchId: text("batch_id"),
    batchRow: integer("batch_row"),
    recipientName: text("recipient_name").notNull(),
    /** Lower-cased; private to the issuing org (the credential carries only a salted hash). */
    recipientEmail: text("recipient_email").notNull(),
    statusListId: text("status_list_id").notNull().references(() => statusLists.id),
    statusIndex: integer("status_index").notNull(),
    kid: text("kid").notNull(),
    jwt: text("jwt").notNull(),
    status: text("status", { enum: ["active", "revoked"] }).notNull().default("active"),
    revocationReason: text("revocation_reason"),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    validFrom: text("valid_from").notNull(),
    validUntil: text("valid_until"),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    /** When `jwt` was last re-signed because its signing key was revoked; part of the projection's version. */
    resignedAt: integer("resigned_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // Two credentials can never share a status bit.
    uniqueIndex("credentials_status_slot_uq").on(t.statusListId, t.statusIndex),
    // A batch row can never be issued twice, whatever the retries.
    uniqueIndex("credentials_batch_row_uq").on(t.batchId, t.batchRow),
    index("credentials_org_issued_idx").on(t.orgId, t.issuedAt, t.id),
    index("credentials_org_achievement_idx").on(t.orgId, t.achievementId),
    index("credentials_org_email_idx").on(t.orgId, t.recipientEmail),
  ],
);
