// Console members: the owner named when an org is created, members invited by owners and admins,
// and the one-time setup links (24 h) through which each sets a password. Only the SHA-256 of a
// setup token is stored; using it clears it.
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { AppError } from "../../../shared/http/problem.ts";
import { randomToken } from "../../auth/random-token.ts";
import { sha256Hex } from "../../auth/tokens.ts";
import type { Database } from "../../db/client.ts";
import { members, type MemberRole } from "../../db/schema/index.ts";
import { isUniqueViolation } from "../orgs/create-org.ts";

export type MemberRow = typeof members.$inferSelect;
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const NAME_MAX = 200;

/** Where a one-time setup or invitation token is used: `<ORIGIN_BASE_URL>/console/setup?token=…`. */
export function setupUrl(originBase: string, token: string): string {
  return `${originBase}/console/setup?token=${encodeURIComponent(token)}`;
}

function emailTaken(email: string): AppError {
  return new AppError(409, "MEMBER_EXISTS", `${email} already has a console account.`, {
    errors: [{ field: "email", rule: "unique", detail: "already has a console account (one account per email address)" }],
  });
}

/** True when some org already has a member with this email (one console account per address). */
export async function emailHasAccount(db: Database, email: string): Promise<boolean> {
  const [row] = await db.select({ id: members.id }).from(members).where(eq(members.email, email.toLowerCase())).limit(1);
  return Boolean(row);
}

/**
 * Adds a member who has no password yet and returns the one-time token of their setup link
 * (valid SETUP_LINK_TTL_MS). 409 MEMBER_EXISTS when the email already has an account.
 */
export async function addPendingMember(
  db: Database,
  input: { orgId: string; email: string; name: string; role: MemberRole },
): Promise<{ member: MemberRow; token: string }> {
  const email = input.email.trim().toLowerCase();
  if (await emailHasAccount(db, email)) throw emailTaken(email);
  const token = randomToken(32);
  const row: MemberRow = {
    id: crypto.randomUUID(),
    orgId: input.orgId,
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: null,
    setupTokenHash: await sha256Hex(token),
    setupExpiresAt: new Date(Date.now() + SETUP_LINK_TTL_MS),
    createdAt: new Date(),
    removedAt: null,
    operatorSince: null,
  };
  try {
    await db.insert(members).values(row);
  } catch (error) {
    if (isUniqueViolation(error, "members.email")) throw emailTaken(email);
    throw error;
  }
  return { member: row, token };
}

/** The member whose setup link carries `token`, while it is unused and unexpired; else null. */
export async function memberBySetupToken(db: Database, token: string): Promise<MemberRow | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.setupTokenHash, await sha256Hex(token)), gt(members.setupExpiresAt, new Date()), isNull(members.removedAt)))
    .limit(1);
  return row ?? null;
}

/** Sets the password and spends the token, only if it is still the member's pending one (a second use finds nothing). */
export async function completeSetup(db: Database, token: string, passwordHash: string): Promise<MemberRow | null> {
  const [row] = await db
    .update(members)
    .set({ passwordHash, setupTokenHash: null, setupExpiresAt: null })
    .where(and(eq(members.setupTokenHash, await sha256Hex(token)), gt(members.setupExpiresAt, new Date()), isNull(members.removedAt)))
    .returning();
  return row ?? null;
}

/** The active member with this email (any org), or null. */
export async function memberByEmail(db: Database, email: string): Promise<MemberRow | null> {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.email, email.trim().toLowerCase()), isNull(members.removedAt)))
    .limit(1);
  return row ?? null;
}

export async function setPasswordHash(db: Database, memberId: string, passwordHash: string): Promise<void> {
  await db.update(members).set({ passwordHash }).where(eq(members.id, memberId));
}

/** The org's members (removed ones excluded), oldest first. */
export function listMembers(db: Database, orgId: string) {
  return db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), isNull(members.removedAt)))
    .orderBy(asc(members.createdAt))
    .limit(500);
}

/** The org's member with this id, or null (another org's member is null too). */
export async function findMember(db: Database, orgId: string, id: string): Promise<MemberRow | null> {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, id), isNull(members.removedAt)))
    .limit(1);
  return row ?? null;
}

/**
 * Gives the org's member `role`. Never leaves the org without an owner who can sign in: taking the
 * owner role away needs another owner with a password, checked in the same statement (two owners
 * demoting each other at once cannot both succeed). False when nothing changed for that reason or
 * the org has no such member.
 */
export async function changeRole(db: Database, orgId: string, id: string, role: MemberRole): Promise<boolean> {
  const otherOwners = sql`(SELECT count(*) FROM members AS o WHERE o.org_id = ${orgId} AND o.role = 'owner' AND o.removed_at IS NULL AND o.password_hash IS NOT NULL AND o.id != ${id})`;
  const result = await db
    .update(members)
    .set({ role })
    .where(and(eq(members.orgId, orgId), eq(members.id, id), isNull(members.removedAt), sql`(${members.role} != 'owner' OR ${role} = 'owner' OR ${otherOwners} > 0)`));
  return result.rowsAffected > 0;
}

/** Removes the member: sign-in is refused from now on (their sessions are revoked by the caller). */
export async function removeMember(db: Database, orgId: string, id: string): Promise<void> {
  await db.update(members).set({ removedAt: new Date(), setupTokenHash: null }).where(and(eq(members.orgId, orgId), eq(members.id, id)));
}
