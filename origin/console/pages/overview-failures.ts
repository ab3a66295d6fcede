// The overview's failure list: what is failing for the org (services/failures/org-failures.ts),
// each entry linking to the page where it can be fixed or retried.
import { html } from "hono/html";
import type { OrgFailures } from "../../services/failures/org-failures.ts";
import { formatDate, type Html } from "../html.ts";

const JOB_NAMES: Record<string, string> = {
  "batch.issue": "Issuing part of a batch",
  "credential.publish": "Publishing a credential",
  "issuer.publish": "Publishing the issuer profile",
  "status-list.publish": "Publishing a status list",
  "key.resign": "Re-signing after a key revocation",
  "notification.send": "Emailing a recipient",
};

function deadJobLink(j: OrgFailures["deadJobs"][number]): Html | string {
  if (j.batchId) return html`<a href="/console/batches/${j.batchId}">Open the batch</a>`;
  if (j.credentialId) return html`<a href="/console/credentials/${j.credentialId}">Open the credential</a>`;
  return "Retried by the scheduled reconciler";
}

export function failureList(f: OrgFailures): Html {
  const total = f.deadJobs.length + f.deadDeliveries.length + f.failedSyncs.length + f.failedNotifications.length;
  if (total === 0) return html`<p id="failures-none">Nothing is failing.</p>`;
  return html`<ul class="failures">
    ${f.deadJobs.map(
      (j) => html`<li data-kind="dead-job"><b>${JOB_NAMES[j.jobType] ?? j.jobType}</b> gave up after ${j.attempts} attempts (${formatDate(j.receivedAt)}). ${deadJobLink(j)}</li>`,
    )}
    ${f.deadDeliveries.map(
      (d) => html`<li data-kind="webhook"><b>Webhook ${d.eventType}</b> to ${d.endpointUrl} failed after ${d.attempts} attempts (${formatDate(d.createdAt)}).
        <a href="/console/settings/webhooks/${d.endpointId}#delivery-${d.deliveryId}">Open the delivery log to redeliver</a></li>`,
    )}
    ${f.failedSyncs.map(
      (s) => html`<li data-kind="sync"><b>LMS sync of ${s.integrationName}</b> ${s.status === "failed" ? html`failed${s.failureReason ? html`: ${s.failureReason}` : ""}` : "finished with errors"} (${formatDate(s.createdAt)}).
        <a href="/console/integrations/${s.integrationId}">Open the integration</a></li>`,
    )}
    ${f.failedNotifications.map(
      (n) => html`<li data-kind="notification"><b>Email to a recipient</b> (${n.kind}) ${n.status}${n.lastError ? html`: ${n.lastError}` : ""} (${formatDate(n.createdAt)}).
        <a href="/console/credentials/${n.credentialId}">Open the credential</a></li>`,
    )}
  </ul>`;
}
