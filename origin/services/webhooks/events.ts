// Recording webhook events (the outbox, table webhook_events) inside the transaction of the change
// that causes them, when the org has an endpoint subscribed to the type, and fanning each out at
// once to a delivery row per subscribed, enabled endpoint of the org (same transaction): if the queue send after the commit fails, the scheduled
// sweep still finds the deliveries. Each cause has a dedupe key (UNIQUE), so a repeated or
// concurrent cause (a redelivered batch job, a repeated rotation) records no second event.
//
// Statements are plain SQL (libSQL `InStatement`), as the issuance and batch transactions they
// join are; `drizzleStatement` adapts one for transactions built with drizzle's `db.batch`.
import type { InStatement, InValue } from "@libsql/client/web";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { traceCarrier, type TraceContext } from "../../../shared/observability/trace-context.ts";

/** A new event id: the `webhook-id` header of every attempt of every delivery of the event. */
const EVENT_ID_SQL = "'msg_' || lower(hex(randomblob(16)))";
const ISO_FROM_MS = (column: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;

/**
 * SQL condition: the org (`orgColumn`, or a `?` argument) has an enabled endpoint subscribed to
 * `type`. Events nobody listens to are not recorded (an org without webhooks stores nothing).
 */
function subscribed(orgColumn: string, type: string): string {
  return `EXISTS (SELECT 1 FROM webhook_endpoints AS ep, json_each(ep.events) AS t
                  WHERE ep.org_id = ${orgColumn} AND ep.enabled = 1 AND t.value = '${type}')`;
}

/**
 * The `traceparent, tracestate` values stored with an event: the span that recorded it (the
 * request's, or the job's that completed a batch). Any later attempt of its deliveries, kicked,
 * swept or retried, continues that trace (services/webhooks/deliver.ts).
 */
export function traceValues(trace: TraceContext | null | undefined): [string | null, string | null] {
  if (!trace) return [null, null];
  const carrier = traceCarrier(trace);
  return [carrier.traceparent, carrier.tracestate ?? null];
}

/** One delivery per subscribed, enabled endpoint for the events just recorded under `dedupeKeys`. */
function fanOut(dedupeKeys: readonly string[], now: number): InStatement {
  return {
    sql: `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, org_id, state, attempts, next_attempt_at, created_at)
          SELECT lower(hex(randomblob(16))), ev.id, ep.id, ev.org_id, 'pending', 0, ?, ?
          FROM webhook_events AS ev
          JOIN webhook_endpoints AS ep ON ep.org_id = ev.org_id AND ep.enabled = 1
            AND EXISTS (SELECT 1 FROM json_each(ep.events) WHERE value = ev.type)
          WHERE ev.dedupe_key IN (SELECT value FROM json_each(?)) AND ev.created_at = ?
          ON CONFLICT DO NOTHING`,
    args: [now, now, JSON.stringify(dedupeKeys), now],
  };
}

/** What `credential.issued` says of each new credential (no recipient data: it ends up in third-party logs). */
export interface IssuedEventInput {
  credentialId: string;
  achievementId: string;
  verifyUrl: string;
  batchId: string | null;
  issuedAt: Date;
}

/**
 * For the issuance insert transaction: `credential.issued` for each of these credentials that the
 * transaction stored (a fresh id whose insert lost its status slot has no row and gets no event).
 */
export function recordCredentialsIssued(orgId: string, issued: readonly IssuedEventInput[], requestId: string | null, trace?: TraceContext | null): InStatement[] {
  if (issued.length === 0) return [];
  const now = Date.now();
  const rows = issued.map((c) => [
    `credential.issued:${c.credentialId}`,
    JSON.stringify({ credentialId: c.credentialId, achievementId: c.achievementId, verifyUrl: c.verifyUrl, batchId: c.batchId, issuedAt: c.issuedAt.toISOString() }),
    c.credentialId,
  ]);
  return [
    {
      sql: `INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, request_id, traceparent, tracestate, created_at)
            SELECT ${EVENT_ID_SQL}, ?, 'credential.issued', r.value ->> 0, r.value ->> 1, ?, ?, ?, ?
            FROM json_each(?) AS r
            WHERE EXISTS (SELECT 1 FROM credentials WHERE id = r.value ->> 2 AND org_id = ?) AND ${subscribed("?", "credential.issued")}
            ON CONFLICT DO NOTHING`,
      args: [orgId, requestId, ...traceValues(trace), now, JSON.stringify(rows), orgId, orgId],
    },
    fanOut(rows.map((r) => r[0]!), now),
  ];
}

/** For the revocation transaction: `credential.revoked`, only when this call revoked it (its `revokedAt`). */
export function recordCredentialRevoked(orgId: string, credentialId: string, revokedAtMs: number, requestId: string | null, trace?: TraceContext | null): [InStatement, InStatement] {
  const now = Date.now();
  const key = `credential.revoked:${credentialId}`;
  return [
    {
      sql: `INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, request_id, traceparent, tracestate, created_at)
            SELECT ${EVENT_ID_SQL}, org_id, 'credential.revoked', ?,
                   json_object('credentialId', id, 'achievementId', achievement_id, 'reason', revocation_reason,
                               'revokedAt', ${ISO_FROM_MS("revoked_at")}),
                   ?, ?, ?, ?
            FROM credentials WHERE org_id = ? AND id = ? AND status = 'revoked' AND revoked_at = ?
              AND ${subscribed("credentials.org_id", "credential.revoked")}
            ON CONFLICT DO NOTHING`,
      args: [key, requestId, ...traceValues(trace), now, orgId, credentialId, revokedAtMs],
    },
    fanOut([key], now),
  ];
}

/**
 * For the transaction that completes a batch: `batch.completed` with its counts, once the batch is
 * completed (whichever job completes it; the dedupe key makes it one event however many race).
 * The request id is the one that created the batch; `trace` the span completing it (its job's, a
 * child of that request's trace).
 */
export function recordBatchCompleted(batchId: string, trace?: TraceContext | null): [InStatement, InStatement] {
  const now = Date.now();
  const key = `batch.completed:${batchId}`;
  const count = (state: string) => `(SELECT count(*) FROM batch_rows WHERE batch_id = b.id AND state = '${state}')`;
  return [
    {
      sql: `INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, request_id, traceparent, tracestate, created_at)
            SELECT ${EVENT_ID_SQL}, b.org_id, 'batch.completed', ?,
                   json_object('batchId', b.id, 'achievementId', b.achievement_id, 'status', b.status, 'total', b.total,
                               'issued', ${count("issued")}, 'failed', ${count("failed")},
                               'completedAt', ${ISO_FROM_MS("b.completed_at")}),
                   b.request_id, ?, ?, ?
            FROM batches AS b WHERE b.id = ? AND b.status IN ('completed', 'completed_with_errors')
              AND ${subscribed("b.org_id", "batch.completed")}
            ON CONFLICT DO NOTHING`,
      args: [key, ...traceValues(trace), now, batchId],
    },
    fanOut([key], now),
  ];
}

/** For the key rotation transaction: `key.rotated` naming the new active key. */
export function recordKeyRotated(orgId: string, newKid: string, requestId: string | null, trace?: TraceContext | null): [InStatement, InStatement] {
  const now = Date.now();
  const key = `key.rotated:${newKid}`;
  return [
    {
      sql: `INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, request_id, traceparent, tracestate, created_at)
            SELECT ${EVENT_ID_SQL}, org_id, 'key.rotated', ?,
                   json_object('keyId', kid, 'alg', alg, 'rotatedAt', ${ISO_FROM_MS("created_at")}), ?, ?, ?, ?
            FROM signing_keys WHERE org_id = ? AND kid = ? AND status = 'active'
              AND ${subscribed("signing_keys.org_id", "key.rotated")}
            ON CONFLICT DO NOTHING`,
      args: [key, requestId, ...traceValues(trace), now, orgId, newKid],
    },
    fanOut([key], now),
  ];
}

/** A plain statement as a drizzle query, for transactions made with `db.batch` (no `?` inside SQL literals). */
export function drizzleStatement(db: Database, statement: InStatement) {
  const { sql: text, args } = typeof statement === "string" ? { sql: statement, args: [] } : statement;
  const values = (args ?? []) as InValue[];
  const parts = text.split("?");
  const chunks: SQL[] = [sql.raw(parts[0]!)];
  parts.slice(1).forEach((part, i) => chunks.push(sql`${values[i]}`, sql.raw(part)));
  return db.run(sql.join(chunks));
}
