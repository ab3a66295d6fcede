// The console's credential search: by recipient (email exactly, or part of the name), achievement,
// status and issue date, newest first. The API's list covers email and achievement; the console
// adds the rest here, over the same org-scoped table.
import { and, count, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { credentials } from "../../db/schema/index.ts";

export interface CredentialSearch {
  /** An email (contains "@": exact, case-insensitive) or part of the recipient's name. */
  recipient?: string;
  achievementId?: string;
  status?: "active" | "revoked";
  /** Issued on or after this day (UTC) / before the end of this day. */
  from?: Date;
  to?: Date;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export function searchCredentials(db: Database, orgId: string, q: CredentialSearch, limit: number, offset: number) {
  const recipient = q.recipient?.trim();
  return db
    .select()
    .from(credentials)
    .where(
      and(
        eq(credentials.orgId, orgId),
        recipient
          ? recipient.includes("@")
            ? eq(credentials.recipientEmail, recipient.toLowerCase())
            : sql`${credentials.recipientName} LIKE ${likePattern(recipient)} ESCAPE '\\'`
          : undefined,
        q.achievementId ? eq(credentials.achievementId, q.achievementId) : undefined,
        q.status ? eq(credentials.status, q.status) : undefined,
        q.from ? gte(credentials.issuedAt, q.from) : undefined,
        q.to ? lt(credentials.issuedAt, q.to) : undefined,
      ),
    )
    .orderBy(desc(credentials.issuedAt), desc(credentials.id))
    .limit(limit)
    .offset(offset);
}

/** Counts of the org's credentials by status (the overview's totals). */
export async function credentialCounts(db: Database, orgId: string): Promise<{ active: number; revoked: number }> {
  const rows = await db
    .select({ status: credentials.status, n: count() })
    .from(credentials)
    .where(eq(credentials.orgId, orgId))
    .groupBy(credentials.status);
  const out = { active: 0, revoked: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
