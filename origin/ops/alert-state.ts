// The alerts' persistent state and events. State lives in the metrics aggregator's storage, not the
// database: the backlog alert must be able to fire, and be remembered, while the database is away.

/** An observed burn rate over one window pair. */
export interface ObservedBurn {
  longMinutes: number;
  shortMinutes: number;
  threshold: number;
  long: number;
  short: number;
}

/** What the evaluator saw for a rule. */
export interface Observation {
  burnRates?: ObservedBurn[];
  /** Backlog rules: the oldest queued work per queue (seconds), or why it could not be read. */
  oldestAgeSeconds?: Record<string, number>;
  unreadable?: string;
}

/** One rule's alert: firing since `startedAt`, or resolved at `resolvedAt`. */
export interface AlertState {
  ruleId: string;
  severity: "page" | "ticket";
  summary: string;
  status: "firing" | "resolved";
  startedAt: string;
  resolvedAt?: string;
  observed: Observation;
}

/** The body of an alert webhook (the shape of customer webhooks: id, type, timestamp, data). */
export interface AlertEvent {
  id: string;
  type: "alert.firing" | "alert.resolved";
  timestamp: string;
  data: AlertState & { windows: { longMinutes: number; shortMinutes: number; burnRate: number }[] };
}

/** An event not yet accepted by the alert webhook. */
export interface PendingAlertDelivery {
  event: AlertEvent;
  attempts: number;
  lastError?: string;
}

/** Storage keys in the aggregator. */
export const ALERT_STATE_KEY = "alerts";
export const ALERT_DELIVERIES_KEY = "alert-deliveries";
