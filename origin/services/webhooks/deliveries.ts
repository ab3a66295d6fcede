// Reading and steering deliveries: the list an endpoint's owner sees (each attempt with time,
// status code, duration, error and the next retry), replay, the test event, and the due
// deliveries the queue and the scheduled sweep pick up.
import type { Database } from "../../db/client.ts";
import type { TraceContext } from "../../../shared/observability/trace-context.ts";
import { traceValues } from "./events.ts";

/** Deliveries listed at most per page. */
export const DELIVERY_LIST_LIMIT = 100;

export interface AttemptView {
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  state: "pending" | "delivered" | "dead";
  nextAttemptAt: string | null;
  createdAt: string;
  attempts: AttemptView[];
}

const iso = (ms: unknown) => (ms == null ? null : new Date(Number(ms)).toISOString());

/** The endpoint's deliveries (optionally in one state), newest first, each with its attempts in order (the caller checked the endpoint is the org's). */
export async function listDeliveries(db: Database, orgId: string, endpointId: string, limit: number, state?: DeliveryView["state"]): Promise<DeliveryView[]> {
  const deliveries = await db.$client.execute({
    sql: `SELECT d.id, d.event_id, ev.type, d.state, d.next_attempt_at, d.created_at
          FROM webhook_deliveries AS d JOIN webhook_events AS ev ON ev.id = d.event_id
          WHERE d.org_id = ? AND d.endpoint_id = ? AND (? IS NULL OR d.state = ?)
          ORDER BY d.created_at DESC, d.id LIMIT ?`,
    args: [orgId, endpointId, state ?? null, state ?? null, limit],
  });
  const ids = deliveries.rows.map((r) => String(r.id));
  const attempts = ids.length === 0
    ? { rows: [] }
    : await db.$client.execute({
        sql: `SELECT delivery_id, attempt, attempted_at, status_code, duration_ms, error, next_attempt_at FROM webhook_attempts
              WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY delivery_id, attempt`,
        args: [JSON.stringify(ids)],
      });
  const byDelivery = new Map<string, AttemptView[]>();
  for (const a of attempts.rows) {
    const list = byDelivery.get(String(a.delivery_id)) ?? [];
    list.push({
      attempt: Number(a.attempt),
      attemptedAt: iso(a.attempted_at)!,
      statusCode: a.status_code == null ? null : Number(a.status_code),
      durationMs: Number(a.duration_ms),
      error: a.error == null ? null : String(a.error),
      nextAttemptAt: iso(a.next_attempt_at),
    });
    byDelivery.set(String(a.delivery_id), list);
  }
  return deliveries.rows.map((r) => ({
    id: String(r.id),
    eventId: String(r.event_id),
    eventType: String(r.type),
    state: String(r.state) as DeliveryView["state"],
    nextAttemptAt: iso(r.next_attempt_at),
    createdAt: iso(r.created_at)!,
    attempts: byDelivery.get(String(r.id)) ?? [],
  }));
}

/**
 * Makes the delivery due now with a fresh retry schedule (same event, so the same webhook-id);
 * its earlier attempts stay listed. False when the org's endpoint has no such delivery.
 */
export async function replayDelivery(db: Database, orgId: string, endpointId: string, deliveryId: string, now = Date.now()): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?
          WHERE id = ? AND org_id = ? AND endpoint_id = ?`,
    args: [now, deliveryId, orgId, endpointId],
  });
  return result.rowsAffected > 0;
}

/** Records a `webhook.test` event delivered to this endpoint only (subscribed or not); returns the delivery id. */
export async function recordTestEvent(db: Database, orgId: string, endpointId: string, requestId: string, trace?: TraceContext | null): Promise<{ eventId: string; deliveryId: string }> {
  const eventId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const deliveryId = crypto.randomUUID().replaceAll("-", "");
  const now = Date.now();
  const data = JSON.stringify({ endpointId, message: "A test event from Laurel: your endpoint receives and verifies webhooks." });
  await db.$client.batch(
    [
      {
        sql: `INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, request_id, traceparent, tracestate, created_at) VALUES (?, ?, 'webhook.test', ?, ?, ?, ?, ?, ?)`,
        args: [eventId, orgId, `webhook.test:${eventId}`, data, requestId, ...traceValues(trace), now],
      },
      {
        sql: `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, org_id, state, attempts, next_attempt_at, created_at)
              VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
        args: [deliveryId, eventId, endpointId, orgId, now, now],
      },
    ],
    "write",
  );
  return { eventId, deliveryId };
}

/**
 * Pending deliveries due by `dueBy`, not in flight, to enabled endpoints, the longest due first:
 * of one org and at most `perEndpoint` per endpoint (the queue's fast path: one per lane), or of
 * all orgs up to `limit` (the sweep).
 */
export async function dueDeliveries(
  db: Database,
  options: { dueBy: number; now: number } & ({ orgId: string; perEndpoint: number } | { limit: number }),
): Promise<string[]> {
  const due = `SELECT d.id, d.endpoint_id, d.next_attempt_at FROM webhook_deliveries AS d
               JOIN webhook_endpoints AS ep ON ep.id = d.endpoint_id AND ep.enabled = 1
               WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)`;
  const result =
    "orgId" in options
      ? await db.$client.execute({
          sql: `SELECT id FROM (
                  SELECT id, next_attempt_at, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS lane
                  FROM (${due} AND d.org_id = ?))
                WHERE lane <= ? ORDER BY next_attempt_at`,
          args: [options.dueBy, options.now, options.orgId, options.perEndpoint],
        })
      : await db.$client.execute({ sql: `${due} ORDER BY d.next_attempt_at LIMIT ?`, args: [options.dueBy, options.now, options.limit] });
  return result.rows.map((r) => String(r.id));
}

/** The endpoint's longest-due delivery that no attempt holds, or null: the next one for a lane. */
export async function nextDueForEndpoint(db: Database, endpointId: string, now: number): Promise<string | null> {
  const result = await db.$client.execute({
    sql: `SELECT id FROM webhook_deliveries
          WHERE endpoint_id = ? AND state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
          ORDER BY next_attempt_at LIMIT 1`,
    args: [endpointId, now, now],
  });
  const row = result.rows[0];
  return row ? String(row.id) : null;
}
