import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The outbox of credential projections: a row says "`cred:<id>` must show at least `version`",
 * written in the same transaction as the change (single issuance, revocation). The queue's
 * credential.publish is the fast path and deletes the row once published; the scheduled
 * reconciler publishes rows still here when they fall due. No foreign key: a row is only ever
 * inserted from the credential row it names.
 */
export const credentialPublications = sqliteTable(
  "credential_publications",
  {
    credentialId: text("credential_id").primaryKey(),
    /** The projection version wanted (issue time, or revocation time; the projection's is never lower). */
    version: integer("version").notNull(),
    /** When the reconciler may take over: a grace for the queue, 0 when the enqueue failed, later after a failure. */
    dueAt: integer("due_at").notNull(),
    /** Failed reconciler attempts (backoff). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("credential_publications_due_idx").on(t.dueAt)],
);
