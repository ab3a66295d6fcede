// The alert rules, as data: service level objectives turned into multi-window, multi-burn-rate
// alerts (the Google SRE workbook's shape). A rule fires when, for one of its window pairs, the
// error budget burns at least `burnRate` times too fast over both the long and the short window:
// the long window proves it is significant, the short one that it is still happening (so the
// alert resolves soon after the burst ends). ops/alerts.yml holds the same rules for Prometheus.

/** A long/short window pair and the burn rate both must reach. */
export interface BurnWindow {
  longMinutes: number;
  shortMinutes: number;
  burnRate: number;
  severity: "page" | "ticket";
}

interface RuleBase {
  id: string;
  summary: string;
}

/** 5xx answers of a service against its availability objective (e.g. 0.999). */
export interface ErrorRatioRule extends RuleBase {
  kind: "error-ratio";
  service: "edge" | "origin";
  objective: number;
  windows: BurnWindow[];
}

/** Requests slower than `thresholdMs` (a histogram bound) against the share allowed (objective 0.99: p99). */
export interface LatencyRule extends RuleBase {
  kind: "latency";
  service: "edge" | "origin";
  thresholdMs: number;
  objective: number;
  windows: BurnWindow[];
}

/** The oldest queued work (database-derived, origin/ops/queue-figures.ts) older than allowed, or unreadable. */
export interface BacklogRule extends RuleBase {
  kind: "backlog";
  maxAgeSeconds: number;
  severity: "page" | "ticket";
  /** The queues the rule watches: all but `exclude`, or only `only` (which then ignores an unreadable database: the rule watching all queues says that). */
  queues?: { exclude: string[] } | { only: string[] };
}

export type AlertRule = ErrorRatioRule | LatencyRule | BacklogRule;

/** 2% of a 30-day budget in 1 hour (14.4x) pages; 5% in 6 hours (6x) opens a ticket. */
export const BURN_WINDOWS: BurnWindow[] = [
  { longMinutes: 60, shortMinutes: 5, burnRate: 14.4, severity: "page" },
  { longMinutes: 360, shortMinutes: 30, burnRate: 6, severity: "ticket" },
];

/** The rules the every-minute cron evaluates (docs/operations.md "SLOs"). */
export const ALERT_RULES: AlertRule[] = [
  {
    id: "edge-availability",
    kind: "error-ratio",
    service: "edge",
    objective: 0.999,
    windows: BURN_WINDOWS,
    summary: "Verification 5xx answers are burning the 99.9% availability budget: verifications are failing for the public",
  },
  {
    id: "edge-latency",
    kind: "latency",
    service: "edge",
    thresholdMs: 200,
    objective: 0.99,
    windows: BURN_WINDOWS,
    summary: "More than 1% of verification requests take over 200 ms (p99 objective)",
  },
  {
    id: "origin-availability",
    kind: "error-ratio",
    service: "origin",
    objective: 0.999,
    windows: BURN_WINDOWS,
    summary: "Issuer API 5xx answers are burning the 99.9% availability budget",
  },
  {
    id: "origin-latency",
    kind: "latency",
    service: "origin",
    thresholdMs: 200,
    objective: 0.99,
    windows: BURN_WINDOWS,
    summary: "More than 1% of issuer API requests take over 200 ms (p99 < 200 ms objective)",
  },
  {
    id: "queue-backlog",
    kind: "backlog",
    maxAgeSeconds: 15 * 60,
    severity: "page",
    // Batch proofs are not urgent (the VC-JWT verifies meanwhile), and after the deploy that added
    // them the sweep proves every earlier batch, aged from its completion: their own ticket below.
    queues: { exclude: ["laurel-proofs"] },
    summary: "Queued work (publication, batch rows, webhooks, notifications, LMS syncs) is older than 15 minutes, or the database cannot be read to tell",
  },
  {
    id: "proofs-backlog",
    kind: "backlog",
    maxAgeSeconds: 60 * 60,
    severity: "ticket",
    queues: { only: ["laurel-proofs"] },
    summary: "Batch credentials have waited over an hour for their Data Integrity proofs (laurel-proofs): wallets that read only Data Integrity cannot verify them yet",
  },
];
