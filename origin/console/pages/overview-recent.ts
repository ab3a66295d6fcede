// The overview's "Recent batches and syncs": the org's last 5 batches with their progress and last 5
// LMS syncs with their counts, each linking to its own page.
import { html } from "hono/html";
import type { RecentBatch } from "../../services/batches/recent.ts";
import type { RecentSync } from "../../services/integrations/recent-syncs.ts";
import { formatDate, type Html } from "../html.ts";
import { syncStatusText } from "./integrations-detail.ts";

/** How many of each the overview lists. */
export const RECENT_SHOWN = 5;

const BATCH_STATUS: Record<RecentBatch["status"], string> = {
  queued: "queued",
  running: "running",
  completed: "completed",
  completed_with_errors: "completed with errors",
};

function batchItem(b: RecentBatch): Html {
  const done = b.issued + b.failed;
  return html`<li data-kind="batch"><a href="/console/batches/${b.id}">${b.achievementName}: ${b.total} recipients</a>, ${BATCH_STATUS[b.status]} (${formatDate(b.createdAt)})<br />
    <progress max="${b.total}" value="${done}" aria-label="Batch of ${b.achievementName} started ${formatDate(b.createdAt)}">${done} of ${b.total}</progress>
    <span class="hint">issued ${b.issued}, failed ${b.failed}, of ${b.total}</span></li>`;
}

function syncItem(s: RecentSync): Html {
  return html`<li data-kind="sync"><a href="/console/integrations/${s.integrationId}#sync-${s.id}">${s.integrationName}</a>: ${syncStatusText(s.status)} (${formatDate(s.createdAt)})<br />
    <span class="hint">${s.counts.completionsSeen} completions seen, ${s.counts.credentialsIssued} issued, ${s.counts.errors} errors</span></li>`;
}

export function recentWork(batches: readonly RecentBatch[], syncs: readonly RecentSync[]): Html {
  return html`<h3>Batches</h3>
    ${batches.length ? html`<ul class="recent">${batches.map(batchItem)}</ul>` : html`<p>No batches yet.</p>`}
    <h3>LMS syncs</h3>
    ${syncs.length ? html`<ul class="recent">${syncs.map(syncItem)}</ul>` : html`<p>No LMS syncs yet.</p>`}`;
}
