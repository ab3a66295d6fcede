import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/** Who did what, when, in the console (admins and owners read it under Settings → Audit log). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** The member who acted (NULL for the org's creation by the operator). */
    memberId: text("member_id"),
    /** The actor's email at the time (kept if the member is later removed). */
    actor: text("actor").notNull(),
    /** Dotted verb, e.g. `credential.revoke`, `member.invite`, `session.sign-in`. */
    action: text("action").notNull(),
    /** The object acted on (a credential id, a member's email), or "". */
    target: text("target").notNull().default(""),
    /** Small JSON object of details (a revocation reason, a role); never secrets. */
    detail: text("detail", { mode: "json" }).$type<Record<string, string>>(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("audit_log_org_at_idx").on(t.orgId, t.at)],
);
