// One delivery attempt: claim the delivery (due, not in flight, its endpoint enabled and below its
// in-flight limit), sign and POST the event through the outbound guard, then record the attempt
// and the next step in one transaction. Safe under at-least-once queues: a duplicate message finds
// the delivery claimed, delivered or not yet due, and does nothing.
import type { InStatement } from "@libsql/client/web";
import { withSameSettings } from "../../../shared/config/settings.ts";
import { traceFromCarrier, type TraceContext } from "../../../shared/observability/trace-context.ts";
import type { Database } from "../../db/client.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { guardedFetch, type OutboundResult } from "../outbound/guarded-fetch.ts";
import { webhookPayload } from "./payload.ts";
import {
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_CONSECUTIVE_FAILURES,
  DISABLE_AFTER_FAILING_FOR_MS,
  LEASE_MS,
  MAX_ANSWER_BYTES,
  MAX_IN_FLIGHT_PER_ENDPOINT,
  parseRetryAfter,
  retryDelayMs,
} from "./policy.ts";
import { openWebhookSecret, signatureEntry } from "./secrets.ts";

/** What an attempt that ran came to (`endpointId`: where it went). */
type Verdict =
  | { kind: "delivered"; statusCode: number }
  | { kind: "retry"; nextAttemptAt: number; statusCode: number | null; error: string }
  | { kind: "dead"; statusCode: number | null; error: string };

/**
 * The story an attempt belongs to: the request id and the trace of its event (stored with it), so
 * its log lines and its retries carry them, whichever message ran it. `trace` is the span the
 * attempt ran under (its outgoing call is that span's child).
 */
export interface AttemptCause {
  requestId: string | null;
  trace: TraceContext | null;
}

export type AttemptOutcome =
  | (Verdict & { endpointId: string; cause: AttemptCause })
  /** Due, but its endpoint has MAX_IN_FLIGHT_PER_ENDPOINT attempts in flight: try again shortly. */
  | { kind: "busy" }
  /** Nothing to do: delivered, dead, not due yet, in flight elsewhere, or its endpoint is disabled or gone. */
  | { kind: "skipped" };

/** `now`: the clock the schedule runs on (tests pass a later one instead of waiting); `random`: jitter source. */
export interface AttemptOptions {
  now?: number;
  random?: () => number;
}

interface Claimed {
  eventId: string;
  endpointId: string;
  orgId: string;
  attempts: number;
}

/**
 * The delivery row (`webhook_deliveries`) is due, not in flight and its endpoint enabled: all a
 * claim needs but a free slot of the endpoint. Its two parameters are both `now`.
 */
const DUE_AND_IDLE = `state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  AND EXISTS (SELECT 1 FROM webhook_endpoints AS ep WHERE ep.id = webhook_deliveries.endpoint_id AND ep.enabled = 1)`;

async function claim(db: Database, deliveryId: string, now: number): Promise<Claimed | null> {
  const result = await db.$client.execute({
    sql: `UPDATE webhook_deliveries SET lease_until = ?
          WHERE id = ? AND ${DUE_AND_IDLE}
            AND (SELECT count(*) FROM webhook_deliveries AS d
                 WHERE d.endpoint_id = webhook_deliveries.endpoint_id AND d.lease_until > ?) < ?
          RETURNING event_id, endpoint_id, org_id, attempts`,
    args: [now + LEASE_MS, deliveryId, now, now, now, MAX_IN_FLIGHT_PER_ENDPOINT],
  });
  const row = result.rows[0];
  if (!row) return null;
  return { eventId: String(row.event_id), endpointId: String(row.endpoint_id), orgId: String(row.org_id), attempts: Number(row.attempts) };
}

/** Whether an unclaimable delivery is waiting only for a free slot of its endpoint. */
async function waitsForSlot(db: Database, deliveryId: string, now: number): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `SELECT 1 FROM webhook_deliveries WHERE id = ? AND ${DUE_AND_IDLE}`,
    args: [deliveryId, now, now],
  });
  return result.rows.length > 0;
}

/** Runs one attempt of the delivery if it is due; see AttemptOutcome. Throws only on database failure. */
export async function attemptDelivery(env: OriginEnv, deliveryId: string, options: AttemptOptions = {}): Promise<AttemptOutcome> {
  const db = database(env);
  const now = options.now ?? Date.now();
  const claimed = await claim(db, deliveryId, now);
  if (!claimed) return (await waitsForSlot(db, deliveryId, now)) ? { kind: "busy" } : { kind: "skipped" };

  const found = await db.$client.execute({
    sql: `SELECT ev.id, ev.type, ev.data, ev.request_id, ev.traceparent, ev.tracestate, ev.created_at,
                 ep.url, ep.secret_encrypted, ep.previous_secret_encrypted, ep.previous_secret_expires_at
          FROM webhook_events AS ev, webhook_endpoints AS ep WHERE ev.id = ? AND ep.id = ?`,
    args: [claimed.eventId, claimed.endpointId],
  });
  const row = found.rows[0];
  if (!row) throw new Error(`delivery ${deliveryId}: its event or endpoint is missing`);
  const body = webhookPayload({
    id: String(row.id),
    type: String(row.type),
    createdAt: Number(row.created_at),
    data: String(row.data),
    requestId: row.request_id == null ? null : String(row.request_id),
  });
  // Signed at send time (the receiver checks webhook-timestamp against its clock); the id is the event's.
  const timestamp = Math.floor(Date.now() / 1000);
  const secrets = [await openWebhookSecret(env.KEY_ENCRYPTION_SECRET, claimed.orgId, claimed.endpointId, String(row.secret_encrypted))];
  if (row.previous_secret_encrypted != null && Number(row.previous_secret_expires_at) > now) {
    secrets.push(await openWebhookSecret(env.KEY_ENCRYPTION_SECRET, claimed.orgId, claimed.endpointId, String(row.previous_secret_encrypted)));
  }
  const signatures = await Promise.all(secrets.map((s) => signatureEntry(s, claimed.eventId, timestamp, body)));
  const trace = attemptParent(env.TRACE, traceFromCarrier({ traceparent: row.traceparent as string | undefined, tracestate: row.tracestate as string | undefined }));
  const result = await guardedFetch(
    {
      url: String(row.url),
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Laurel-Webhooks/1.0",
        "webhook-id": claimed.eventId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signatures.join(" "),
        // The id of the request that caused the event, for the receiver's logs (guardedFetch adds traceparent).
        ...(row.request_id == null ? {} : { "laurel-request-id": String(row.request_id) }),
      },
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxResponseBytes: MAX_ANSWER_BYTES,
    },
    trace ? withSameSettings({ ...env, TRACE: trace }, env) : env,
  );
  const outcome = judge(result, claimed.attempts + 1, now, options.random);
  await record(db, deliveryId, claimed.endpointId, result, outcome, now);
  return { ...outcome, endpointId: claimed.endpointId, cause: { requestId: row.request_id == null ? null : String(row.request_id), trace } };
}

/**
 * The span an attempt runs under: the message's (`current`) when it is already in the event's
 * trace (kicked at once, or a retry of it), else the event's own (`recorded`): a swept message,
 * or a lane taking another event's delivery, continues the trace of the request that recorded it.
 * Events recorded before traces were stored have none: the message's span then.
 */
function attemptParent(current: TraceContext | undefined, recorded: TraceContext | null): TraceContext | null {
  if (recorded && current?.traceId !== recorded.traceId) return recorded;
  return current ?? recorded;
}

/** What an answer means for the delivery (`attempt`: this attempt's number in its schedule). */
function judge(result: OutboundResult, attempt: number, now: number, random?: () => number): Verdict {
  if (result.kind === "response" && result.status >= 200 && result.status < 300) return { kind: "delivered", statusCode: result.status };
  const statusCode = result.kind === "response" ? result.status : null;
  if (statusCode === 410) return { kind: "dead", statusCode, error: "the receiver answered 410 Gone: endpoint disabled" };
  const error =
    result.kind !== "response"
      ? `${result.kind.replace("_", " ")}: ${result.reason}`
      : result.status >= 300 && result.status < 400
        ? `HTTP ${result.status}: redirects are not followed`
        : `HTTP ${result.status}`;
  const retryAfter = result.kind === "response" ? parseRetryAfter(result.headers.get("retry-after"), now) : null;
  const delay = retryDelayMs(attempt, retryAfter, random);
  if (delay === null) return { kind: "dead", statusCode, error: `${error} (last of ${attempt} attempts)` };
  return { kind: "retry", nextAttemptAt: now + delay, statusCode, error };
}

async function record(
  db: Database,
  deliveryId: string,
  endpointId: string,
  result: OutboundResult,
  outcome: Verdict,
  now: number,
): Promise<void> {
  const next = outcome.kind === "retry" ? outcome.nextAttemptAt : null;
  const error = outcome.kind === "delivered" ? null : outcome.error.slice(0, 500);
  const state = outcome.kind === "retry" ? "pending" : outcome.kind;
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error, next_attempt_at)
            VALUES (?, (SELECT coalesce(max(attempt), 0) + 1 FROM webhook_attempts WHERE delivery_id = ?), ?, ?, ?, ?, ?)`,
      args: [deliveryId, deliveryId, now, outcome.statusCode, result.durationMs, error, next],
    },
    {
      sql: "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL WHERE id = ?",
      args: [state, next, deliveryId],
    },
  ];
  if (outcome.kind === "delivered") {
    statements.push({ sql: "UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ?", args: [endpointId] });
  } else if (outcome.statusCode === 410) {
    statements.push({
      sql: "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?",
      args: [`The receiver answered 410 Gone on ${new Date(now).toISOString()}.`, now, endpointId],
    });
  } else {
    const reason = `Disabled after ${DISABLE_AFTER_CONSECUTIVE_FAILURES} or more failed attempts in a row over ${DISABLE_AFTER_FAILING_FOR_MS / 3_600_000} hours or more; the last on ${new Date(now).toISOString()}: ${error}`;
    // Disabled once the run of failures is both long enough and old enough (the right-hand sides
    // read the row's values before this update; a run that starts now has failing_since = now).
    const due = "consecutive_failures + 1 >= ? AND coalesce(failing_since, ?) <= ?";
    const dueArgs = [DISABLE_AFTER_CONSECUTIVE_FAILURES, now, now - DISABLE_AFTER_FAILING_FOR_MS];
    statements.push({
      sql: `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
              failing_since = coalesce(failing_since, ?),
              disabled_reason = CASE WHEN enabled = 1 AND ${due} THEN ? ELSE disabled_reason END,
              enabled = CASE WHEN ${due} THEN 0 ELSE enabled END
            WHERE id = ?`,
      args: [now, ...dueArgs, reason, ...dueArgs, endpointId],
    });
  }
  await db.$client.batch(statements, "write");
}
