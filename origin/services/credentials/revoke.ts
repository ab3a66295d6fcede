// Revocation: mark the credential, bump its status list's version and want its projection
// republished (the outbox), in one transaction: the database then says what the edge must show, so
// a lost queue job only delays the publication until the scheduled reconciler runs. Repeating is
// harmless: an already revoked credential keeps its first reason and time, and the list version
// moves only when the status actually changed.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { credentials, statusLists } from "../../db/schema/index.ts";
import { wantRevocationNotice } from "../notifications/on-revoke.ts";
import { wantRevokedPublished } from "../publication/outbox.ts";
import { drizzleStatement, recordCredentialRevoked } from "../webhooks/events.ts";
import type { TraceContext } from "../../../shared/observability/trace-context.ts";
import type { CredentialRow } from "./credentials.ts";

/** Revokes the org's credential; returns the row as it now stands and whether this call changed it, or null when unknown. */
export async function revokeCredential(
  db: Database,
  orgId: string,
  id: string,
  reason: string,
  requestId: string | null = null,
  /** The span revoking it: the credential.revoked deliveries continue its trace. */
  trace: TraceContext | null = null,
): Promise<{ row: CredentialRow; changed: boolean } | null> {
  const revokedAt = new Date();
  const [event, fanOut] = recordCredentialRevoked(orgId, id, revokedAt.getTime(), requestId, trace);
  const [updated, , , , , , current] = await db.batch([
    db
      .update(credentials)
      .set({ status: "revoked", revocationReason: reason, revokedAt })
      .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id), eq(credentials.status, "active")))
      .returning({ id: credentials.id }),
    // Bumps only if the row above carries this call's revokedAt, i.e. this call revoked it. The
    // version then runs ahead of published_version: the reconciler's cue to republish the list.
    db
      .update(statusLists)
      .set({ version: sql`${statusLists.version} + 1` })
      .where(
        sql`${statusLists.id} = (SELECT ${credentials.statusListId} FROM ${credentials}
             WHERE ${credentials.orgId} = ${orgId} AND ${credentials.id} = ${id} AND ${credentials.revokedAt} = ${revokedAt.getTime()})`,
      ),
    // The credential's projection is wanted at its revocation time (the outbox).
    wantRevokedPublished(db, orgId, id, revokedAt.getTime()),
    // The credential.revoked webhook event, only if this call revoked it (services/webhooks/events.ts).
    drizzleStatement(db, event),
    drizzleStatement(db, fanOut),
    // The recipient's revocation notice (sent once the revocation is published).
    wantRevocationNotice(db, orgId, id, revokedAt.getTime()),
    db
      .select()
      .from(credentials)
      .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id)))
      .limit(1),
  ]);
  const row = current[0];
  if (!row) return null;
  return { row, changed: updated.length > 0 };
}
