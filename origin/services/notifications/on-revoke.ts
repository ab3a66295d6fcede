// What revocation writes for the recipient, in the revocation's own transaction: the `revoked`
// notification, when this call revoked the credential and the org tells recipients of revocations
// (org_notification_settings.notify_on_revocation, default true).
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { SWEEP_GRACE_MS } from "./store.ts";

/** The statement for services/credentials/revoke.ts's batch; `revokedAt` is that call's time (a repeat writes nothing). */
export function wantRevocationNotice(db: Database, orgId: string, id: string, revokedAt: number) {
  return db.run(sql`
    INSERT INTO notifications (credential_id, kind, org_id, status, due_at)
    SELECT c.id, 'revoked', c.org_id, 'pending', ${revokedAt + SWEEP_GRACE_MS}
    FROM credentials AS c LEFT JOIN org_notification_settings AS s ON s.org_id = c.org_id
    WHERE c.org_id = ${orgId} AND c.id = ${id} AND c.revoked_at = ${revokedAt} AND coalesce(s.notify_on_revocation, 1) = 1
    ON CONFLICT DO NOTHING`);
}
