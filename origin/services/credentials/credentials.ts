// Issued credentials of an org: find, list and the API representation.
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { credentials } from "../../db/schema/index.ts";
import { olderThan, type Position } from "../../http/pagination.ts";
import { credentialPageUrl } from "../../../shared/public-urls.ts";

export type CredentialRow = typeof credentials.$inferSelect;

/** The org's credential with this id, or null (another org's credential is null too). */
export async function findCredential(db: Database, orgId: string, id: string): Promise<CredentialRow | null> {
  const [row] = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id)))
    .limit(1);
  return row ?? null;
}

/** Up to `limit` credentials after `after`, newest first, optionally for one achievement or recipient email. */
export function listCredentials(
  db: Database,
  orgId: string,
  filter: { achievementId?: string; email?: string },
  after: Position | null,
  limit: number,
) {
  return db
    .select()
    .from(credentials)
    .where(
      and(
        eq(credentials.orgId, orgId),
        filter.achievementId ? eq(credentials.achievementId, filter.achievementId) : undefined,
        filter.email ? eq(credentials.recipientEmail, filter.email.trim().toLowerCase()) : undefined,
        olderThan(credentials.issuedAt, credentials.id, after),
      ),
    )
    .orderBy(desc(credentials.issuedAt), desc(credentials.id))
    .limit(limit);
}

/** The API representation of a credential (GET /v1/credentials/:id and list entries). */
export function credentialView(row: CredentialRow, base: string) {
  return {
    id: row.id,
    status: row.status,
    ...(row.status === "revoked"
      ? { revocationReason: row.revocationReason ?? "", revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null }
      : {}),
    jwt: row.jwt,
    verifyUrl: credentialPageUrl(base, row.id),
    achievementId: row.achievementId,
    recipient: { name: row.recipientName, email: row.recipientEmail },
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    issuedAt: row.issuedAt.toISOString(),
    statusListId: row.statusListId,
    statusIndex: row.statusIndex,
    ...(row.batchId ? { batchId: row.batchId } : {}),
  };
}
