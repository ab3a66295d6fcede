// The alert evaluator, run every minute by the cron (origin/scheduled.ts): reads the aggregated
// figures over each rule's windows, decides firing/resolved, persists the state, logs every
// transition at level `alert`, and delivers it to the alert webhook, re-trying undelivered
// events on the next runs (at most MAX_DELIVERY_ATTEMPTS). Clock, rules, aggregator, backlog reader
// and sender are parameters, so tests run it on a fixed clock against their own aggregator.
import type { MetricsAggregatorRpc, WindowRow } from "../../shared/observability/aggregator-rpc.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import { minuteOf, slowerThan } from "../../shared/observability/metrics-points.ts";
import { ALERT_RULES, type AlertRule, type BurnWindow } from "./alert-rules.ts";
import { ALERT_DELIVERIES_KEY, ALERT_STATE_KEY, type AlertEvent, type AlertState, type Observation, type PendingAlertDelivery } from "./alert-state.ts";
import type { QueueFigures } from "./queue-figures.ts";

/** Attempts an alert event gets (one per evaluation run, so about 10 minutes) before it is given up, logged. */
export const MAX_DELIVERY_ATTEMPTS = 10;

export interface EvaluateOptions {
  aggregator: MetricsAggregatorRpc;
  log: Logger;
  readBacklog: () => Promise<QueueFigures>;
  send: (event: AlertEvent) => Promise<{ ok: boolean; reason?: string }>;
  rules?: AlertRule[];
  now?: number;
}

/** What one run did. */
export interface EvaluationReport {
  firing: AlertState[];
  transitions: AlertEvent[];
  delivered: number;
  undelivered: number;
}

type Totals = { count: number; bad: number };

/** Runs the rules once. */
export async function evaluateAlerts(o: EvaluateOptions): Promise<EvaluationReport> {
  const now = o.now ?? Date.now();
  const rules = o.rules ?? ALERT_RULES;
  const windows = new Map<number, Promise<WindowRow[]>>();
  // Each window covers its last N whole-or-current minutes, the current minute included.
  const rowsOver = (minutes: number) => {
    if (!windows.has(minutes)) windows.set(minutes, o.aggregator.window(minuteOf(now) - minutes + 1, minuteOf(now)));
    return windows.get(minutes)!;
  };
  const state = (await o.aggregator.getState<Record<string, AlertState>>(ALERT_STATE_KEY)) ?? {};
  const transitions: AlertEvent[] = [];
  let backlog: Promise<QueueFigures> | undefined;

  for (const rule of rules) {
    let firing: boolean;
    let severity: "page" | "ticket";
    let observed: Observation;
    if (rule.kind === "backlog") {
      backlog ??= o.readBacklog();
      const scope = rule.queues;
      const watched = (queue: string) => (!scope ? true : "only" in scope ? scope.only.includes(queue) : !scope.exclude.includes(queue));
      observed = await backlog.then(
        (f) => ({ oldestAgeSeconds: Object.fromEntries(f.queues.filter((q) => watched(q.queue)).map((q) => [q.queue, q.oldestAgeSeconds])) }),
        (error: unknown) => ({ unreadable: error instanceof Error ? error.message : String(error) }),
      );
      // A backlog that cannot be read is one nothing drains: the database is what the work waits on.
      const unreadableFires = !(scope && "only" in scope);
      firing = (observed.unreadable !== undefined && unreadableFires) || Object.values(observed.oldestAgeSeconds ?? {}).some((age) => age > rule.maxAgeSeconds);
      severity = rule.severity;
    } else {
      const budget = 1 - rule.objective;
      const burn = async (minutes: number) => {
        const t = totalsOf(await rowsOver(minutes), rule);
        return t.count === 0 ? 0 : t.bad / t.count / budget;
      };
      const burns = await Promise.all(
        rule.windows.map(async (w: BurnWindow) => ({ longMinutes: w.longMinutes, shortMinutes: w.shortMinutes, threshold: w.burnRate, long: await burn(w.longMinutes), short: await burn(w.shortMinutes), severity: w.severity })),
      );
      const hit = burns.find((b) => b.long >= b.threshold && b.short >= b.threshold);
      firing = hit !== undefined;
      severity = hit?.severity ?? rule.windows[0]?.severity ?? "ticket";
      observed = { burnRates: burns.map(({ severity: _, ...b }) => ({ ...b, long: round(b.long), short: round(b.short) })) };
    }

    const before = state[rule.id];
    if (firing && before?.status !== "firing") {
      state[rule.id] = { ruleId: rule.id, severity, summary: rule.summary, status: "firing", startedAt: new Date(now).toISOString(), observed };
      transitions.push(eventOf("alert.firing", state[rule.id]!, rule, now));
    } else if (firing) {
      state[rule.id] = { ...before!, observed };
    } else if (before?.status === "firing") {
      state[rule.id] = { ...before, status: "resolved", resolvedAt: new Date(now).toISOString(), observed };
      transitions.push(eventOf("alert.resolved", state[rule.id]!, rule, now));
    }
  }

  await o.aggregator.putState(ALERT_STATE_KEY, state);
  for (const event of transitions) o.log.alert(event.type, { operation: event.type, alertId: event.id, ruleId: event.data.ruleId, severity: event.data.severity, alertSummary: event.data.summary, observed: event.data.observed, startedAt: event.data.startedAt, resolvedAt: event.data.resolvedAt });

  const pending = [...((await o.aggregator.getState<PendingAlertDelivery[]>(ALERT_DELIVERIES_KEY)) ?? []), ...transitions.map((event) => ({ event, attempts: 0 }))];
  const still: PendingAlertDelivery[] = [];
  let delivered = 0;
  for (const p of pending) {
    const result = await o.send(p.event);
    if (result.ok) {
      delivered++;
      continue;
    }
    const attempts = p.attempts + 1;
    if (attempts >= MAX_DELIVERY_ATTEMPTS) o.log.error("alert webhook delivery given up", { alertId: p.event.id, type: p.event.type, attempts, reason: result.reason });
    else {
      o.log.warn("alert webhook delivery failed; retried on the next run", { alertId: p.event.id, type: p.event.type, attempts, reason: result.reason });
      still.push({ event: p.event, attempts, lastError: result.reason });
    }
  }
  await o.aggregator.putState(ALERT_DELIVERIES_KEY, still);
  return { firing: Object.values(state).filter((s) => s.status === "firing"), transitions, delivered, undelivered: still.length };
}

/** The alerts firing now, as last evaluated. */
export async function firingAlerts(aggregator: MetricsAggregatorRpc): Promise<AlertState[]> {
  const state = (await aggregator.getState<Record<string, AlertState>>(ALERT_STATE_KEY)) ?? {};
  return Object.values(state).filter((s) => s.status === "firing");
}

function totalsOf(rows: WindowRow[], rule: Extract<AlertRule, { service: string }>): Totals {
  const t: Totals = { count: 0, bad: 0 };
  for (const r of rows) {
    if (r.service !== rule.service || r.kind !== "request") continue;
    t.count += r.count;
    t.bad += rule.kind === "error-ratio" ? r.errors : slowerThan(r.histogram, rule.thresholdMs);
  }
  return t;
}

function eventOf(type: AlertEvent["type"], s: AlertState, rule: AlertRule, now: number): AlertEvent {
  const windows = rule.kind === "backlog" ? [] : rule.windows.map((w) => ({ longMinutes: w.longMinutes, shortMinutes: w.shortMinutes, burnRate: w.burnRate }));
  return { id: `alert_${crypto.randomUUID()}`, type, timestamp: new Date(now).toISOString(), data: { ...s, windows } };
}

const round = (n: number) => Math.round(n * 100) / 100;
