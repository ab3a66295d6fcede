// The console's audit log: who did what, when. Written for every state-changing console action
// and sign-in; read by owners and admins.
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { auditLog } from "../../db/schema/index.ts";

export interface AuditEntry {
  orgId: string;
  memberId: string | null;
  actor: string;
  action: string;
  target?: string;
  detail?: Record<string, string>;
}

/** The insert of one entry, to run alone or inside the batch of the action it records. */
export function auditStatement(db: Database, entry: AuditEntry) {
  return db.insert(auditLog).values({
    id: crypto.randomUUID(),
    orgId: entry.orgId,
    memberId: entry.memberId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? "",
    detail: entry.detail ?? null,
    at: new Date(),
  });
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await auditStatement(db, entry);
}

/** The org's entries, newest first, before `before` when given. */
export function listAudit(db: Database, orgId: string, limit: number, before?: Date) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), before ? lt(auditLog.at, before) : undefined))
    .orderBy(desc(auditLog.at))
    .limit(limit);
}
