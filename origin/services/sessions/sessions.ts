// Console sessions, stored server-side: the cookie holds a random 256-bit id, the database its
// SHA-256. A session ends after IDLE_TIMEOUT_MS without a request, after ABSOLUTE_TIMEOUT_MS in any
// case, at sign-out, or when all the member's sessions are revoked ("sign out everywhere").
import { and, eq, isNull } from "drizzle-orm";
import { randomToken } from "../../auth/random-token.ts";
import { sha256Hex } from "../../auth/tokens.ts";
import type { Database } from "../../db/client.ts";
import { consoleSessions, members, orgs } from "../../db/schema/index.ts";
import type { MemberRow } from "../members/members.ts";
import type { OrgRecord } from "../orgs/org-record.ts";

export const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is refreshed at most this often, so most console requests make no write. */
const TOUCH_RESOLUTION_MS = 60 * 1000;

export interface ConsoleSession {
  idHash: string;
  csrfToken: string;
  member: MemberRow;
  org: OrgRecord;
}

/** Starts a session for the member; returns the id for the cookie (never stored as such). */
export async function createSession(db: Database, member: Pick<MemberRow, "id" | "orgId">): Promise<string> {
  const id = randomToken();
  const now = new Date();
  await db.insert(consoleSessions).values({
    idHash: await sha256Hex(id),
    memberId: member.id,
    orgId: member.orgId,
    csrfToken: randomToken(),
    createdAt: now,
    lastSeenAt: now,
  });
  return id;
}

/** The live session with this cookie id (and its active member and org), refreshing its idle clock; null if unknown or expired. */
export async function loadSession(db: Database, id: string, now = Date.now()): Promise<ConsoleSession | null> {
  if (!id || id.length > 100) return null;
  const idHash = await sha256Hex(id);
  const [row] = await db
    .select({ session: consoleSessions, member: members, org: { id: orgs.id, slug: orgs.slug, name: orgs.name, url: orgs.url } })
    .from(consoleSessions)
    .innerJoin(members, and(eq(members.id, consoleSessions.memberId), isNull(members.removedAt)))
    .innerJoin(orgs, eq(orgs.id, consoleSessions.orgId))
    .where(eq(consoleSessions.idHash, idHash))
    .limit(1);
  if (!row) return null;
  const { session } = row;
  if (now - session.lastSeenAt.getTime() > IDLE_TIMEOUT_MS || now - session.createdAt.getTime() > ABSOLUTE_TIMEOUT_MS) {
    await endSession(db, idHash);
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_RESOLUTION_MS) {
    await db.update(consoleSessions).set({ lastSeenAt: new Date(now) }).where(eq(consoleSessions.idHash, idHash));
  }
  return { idHash, csrfToken: session.csrfToken, member: row.member, org: row.org };
}

/** Ends one session (sign-out). */
export async function endSession(db: Database, idHash: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash));
}

/** Ends every session of the member (sign out everywhere; removal of the member). */
export async function endAllSessions(db: Database, memberId: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.memberId, memberId));
}
