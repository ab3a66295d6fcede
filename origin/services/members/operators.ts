// The deployment's operators: console accounts that may open /ops (every org's figures). Operator
// is not a console role, because roles are per org and an org's owner hands them out; it is a mark
// on the account that only the admin token sets or clears (origin/routes/operators.ts). It is kept
// on the account, not as a list of e-mail addresses in a setting, because an org owner can invite
// any address that has no account yet and, without a mail transport, sees the setup link: a listed
// address would then make that owner an operator. The admin marks an account that already exists
// and has finished its setup: an invited account whose setup link is still open may be in the
// hands of whoever invited it (the owner shown that link), not of the address's owner.
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { members, orgs } from "../../db/schema/index.ts";
import { recordAudit } from "../audit/audit-log.ts";

export interface OperatorRecord {
  email: string;
  memberId: string;
  orgSlug: string;
  operatorSince: string;
}

const columns = {
  email: members.email,
  memberId: members.id,
  orgId: members.orgId,
  orgSlug: orgs.slug,
  operatorSince: members.operatorSince,
  passwordHash: members.passwordHash,
  setupTokenHash: members.setupTokenHash,
};

function record(row: { email: string; memberId: string; orgSlug: string; operatorSince: Date | null }): OperatorRecord {
  return { email: row.email, memberId: row.memberId, orgSlug: row.orgSlug, operatorSince: row.operatorSince!.toISOString() };
}

async function activeAccount(db: Database, by: { email: string } | { memberId: string }) {
  const which = "email" in by ? eq(members.email, by.email.trim().toLowerCase()) : eq(members.id, by.memberId);
  const [row] = await db
    .select(columns)
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(and(which, isNull(members.removedAt)))
    .limit(1);
  return row ?? null;
}

/**
 * Marks the active console account with this e-mail as an operator (kept if it already is); null
 * when no such account, "setup-pending" while its setup link is open (see the header).
 */
export async function grantOperator(db: Database, email: string, now = new Date()): Promise<OperatorRecord | null | "setup-pending"> {
  const account = await activeAccount(db, { email });
  if (!account) return null;
  if (account.operatorSince) return record(account);
  if (account.passwordHash === null || account.setupTokenHash !== null) return "setup-pending";
  const [marked] = await db
    .update(members)
    .set({ operatorSince: now })
    .where(and(eq(members.id, account.memberId), isNull(members.operatorSince)))
    .returning({ operatorSince: members.operatorSince });
  if (!marked) {
    // A concurrent grant marked it first: answer with its time, and leave the audit entry to it.
    const current = await activeAccount(db, { email });
    return record({ ...account, operatorSince: current?.operatorSince ?? now });
  }
  await recordAudit(db, { orgId: account.orgId, memberId: null, actor: "operator", action: "member.operator-grant", target: account.email });
  return record({ ...account, operatorSince: now });
}

/** Withdraws the mark (the account's next /ops request is refused); false when no such account. */
export async function revokeOperator(db: Database, memberId: string): Promise<boolean> {
  const account = await activeAccount(db, { memberId });
  if (!account) return false;
  if (!account.operatorSince) return true;
  await db.update(members).set({ operatorSince: null }).where(eq(members.id, account.memberId));
  await recordAudit(db, { orgId: account.orgId, memberId: null, actor: "operator", action: "member.operator-revoke", target: account.email });
  return true;
}

/** Every active operator account, longest-standing first. */
export async function listOperators(db: Database): Promise<OperatorRecord[]> {
  const rows = await db
    .select(columns)
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(and(isNotNull(members.operatorSince), isNull(members.removedAt)))
    .orderBy(asc(members.operatorSince))
    .limit(500);
  return rows.map(record);
}
