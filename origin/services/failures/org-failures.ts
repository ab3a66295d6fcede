// What is failing for one org, for the console overview: its dead-lettered jobs, dead webhook
// deliveries, failed (or partly failed) LMS syncs and failed recipient notifications, newest first,
// each bounded to FAILURES_EACH rows and to the last FAILURE_WINDOW_DAYS days. Every query is
// scoped by the org (dead letters carry no org column: they are matched through the job's orgId, or
// through the credential or status list it names).
import type { Database } from "../../db/client.ts";

export const FAILURES_EACH = 10;
export const FAILURE_WINDOW_DAYS = 30;

export interface DeadJob {
  messageId: string;
  jobType: string;
  attempts: number;
  receivedAt: Date;
  /** What the job was about, to link to: a batch or a credential (null for org-wide jobs). */
  batchId: string | null;
  credentialId: string | null;
}

export interface DeadDelivery {
  deliveryId: string;
  endpointId: string;
  endpointUrl: string;
  eventType: string;
  attempts: number;
  createdAt: Date;
}

export interface FailedSync {
  syncId: string;
  integrationId: string;
  integrationName: string;
  status: "failed" | "completed_with_errors";
  failureReason: string | null;
  createdAt: Date;
}

export interface FailedNotification {
  credentialId: string;
  kind: string;
  status: "failed" | "bounced";
  lastError: string | null;
  createdAt: Date;
}

export interface OrgFailures {
  deadJobs: DeadJob[];
  deadDeliveries: DeadDelivery[];
  failedSyncs: FailedSync[];
  failedNotifications: FailedNotification[];
}

const str = (v: unknown) => (v == null ? null : String(v));

export async function orgFailures(db: Database, orgId: string, now = Date.now()): Promise<OrgFailures> {
  const since = now - FAILURE_WINDOW_DAYS * 86_400_000;
  // The job body is JSON written by the consumer; json_valid guards the extraction all the same.
  const job = (path: string) => `CASE WHEN json_valid(d.body) THEN json_extract(d.body, '${path}') END`;
  const [jobs, deliveries, syncs, notifications] = await db.$client.batch(
    [
      {
        sql: `SELECT d.message_id, d.job_type, d.attempts, d.received_at, ${job("$.batchId")} AS batch_id, ${job("$.credentialId")} AS credential_id
              FROM dead_letters AS d
              WHERE d.received_at >= ? AND d.replayed_at IS NULL AND (
                ${job("$.orgId")} = ?
                OR EXISTS (SELECT 1 FROM credentials AS c WHERE c.id = ${job("$.credentialId")} AND c.org_id = ?)
                OR EXISTS (SELECT 1 FROM status_lists AS s WHERE s.id = ${job("$.statusListId")} AND s.org_id = ?))
              ORDER BY d.received_at DESC LIMIT ?`,
        args: [since, orgId, orgId, orgId, FAILURES_EACH],
      },
      {
        sql: `SELECT d.id, d.endpoint_id, ep.url, ev.type, d.attempts, d.created_at
              FROM webhook_deliveries AS d
              JOIN webhook_endpoints AS ep ON ep.id = d.endpoint_id AND ep.org_id = d.org_id
              JOIN webhook_events AS ev ON ev.id = d.event_id
              WHERE d.state = 'dead' AND d.org_id = ? AND d.created_at >= ?
              ORDER BY d.created_at DESC LIMIT ?`,
        args: [orgId, since, FAILURES_EACH],
      },
      {
        sql: `SELECT s.id, s.integration_id, i.name, s.status, s.failure_reason, s.created_at
              FROM integration_syncs AS s JOIN integrations AS i ON i.id = s.integration_id AND i.org_id = s.org_id
              WHERE s.status IN ('failed', 'completed_with_errors') AND s.org_id = ? AND s.updated_at >= ?
              ORDER BY s.created_at DESC LIMIT ?`,
        args: [orgId, since, FAILURES_EACH],
      },
      {
        sql: `SELECT credential_id, kind, status, last_error, created_at FROM notifications
              WHERE status IN ('failed', 'bounced') AND org_id = ? AND created_at >= ?
              ORDER BY created_at DESC LIMIT ?`,
        args: [orgId, since, FAILURES_EACH],
      },
    ],
    "read",
  );
  return {
    deadJobs: jobs!.rows.map((r) => ({
      messageId: String(r.message_id),
      jobType: String(r.job_type ?? "unknown"),
      attempts: Number(r.attempts),
      receivedAt: new Date(Number(r.received_at)),
      batchId: str(r.batch_id),
      credentialId: str(r.credential_id),
    })),
    deadDeliveries: deliveries!.rows.map((r) => ({
      deliveryId: String(r.id),
      endpointId: String(r.endpoint_id),
      endpointUrl: String(r.url),
      eventType: String(r.type),
      attempts: Number(r.attempts),
      createdAt: new Date(Number(r.created_at)),
    })),
    failedSyncs: syncs!.rows.map((r) => ({
      syncId: String(r.id),
      integrationId: String(r.integration_id),
      integrationName: String(r.name),
      status: String(r.status) as FailedSync["status"],
      failureReason: str(r.failure_reason),
      createdAt: new Date(Number(r.created_at)),
    })),
    failedNotifications: notifications!.rows.map((r) => ({
      credentialId: String(r.credential_id),
      kind: String(r.kind),
      status: String(r.status) as FailedNotification["status"],
      lastError: str(r.last_error),
      createdAt: new Date(Number(r.created_at)),
    })),
  };
}
