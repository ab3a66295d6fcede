// Reads the drill's own database file (the data folder's laurel.db) read-only, for the
// reconciliation: the org's credentials, and the events whose delivery was dead-lettered. The
// libSQL server keeps serving the same file. node:sqlite, not the `libsql` package: the latter
// ignores its `readonly` option, and the drill must not be able to write the database it checks.
import { DatabaseSync } from "node:sqlite";
import { eventSubject } from "./receiver.ts";
import type { StoredCredential } from "./reconcile.ts";

export interface DatabaseView {
  credentials: StoredCredential[];
  /** `type:subject` of every event whose delivery is dead. */
  deadLettered: string[];
  /** Deliveries still pending (after the drain). */
  pendingDeliveries: number;
  /** Expected events recorded in the outbox (webhook_events) for the org. */
  eventsRecorded: number;
}

export function readDatabase(file: string, orgSlug: string): DatabaseView {
  const db = new DatabaseSync(file, { readOnly: true, timeout: 10_000 });
  try {
    const org = db.prepare("SELECT id FROM orgs WHERE slug = ?").get(orgSlug) as unknown as { id: string } | undefined;
    if (!org) throw new Error(`org ${orgSlug} not in ${file}`);
    const credentials = (db.prepare("SELECT id, recipient_email AS email, batch_id AS batchId, status FROM credentials WHERE org_id = ?").all(org.id) as unknown as StoredCredential[]).map((c) => ({ ...c }));
    const dead = db
      .prepare("SELECT e.type AS type, e.data AS data FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.org_id = ? AND d.state = 'dead'")
      .all(org.id) as unknown as { type: string; data: string }[];
    const pending = db.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE org_id = ? AND state = 'pending'").get(org.id) as unknown as { n: number };
    const events = db.prepare("SELECT count(*) AS n FROM webhook_events WHERE org_id = ?").get(org.id) as unknown as { n: number };
    return {
      credentials,
      deadLettered: dead.map((d) => `${d.type}:${eventSubject(d.type, JSON.parse(d.data))}`),
      pendingDeliveries: pending.n,
      eventsRecorded: events.n,
    };
  } finally {
    db.close();
  }
}
