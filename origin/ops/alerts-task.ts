// The every-minute cron task that evaluates the alert rules against the stack's aggregator.
import { metricsAggregator } from "../../shared/observability/aggregator-rpc.ts";
import type { Logger } from "../../shared/observability/logger.ts";
import type { OriginEnv } from "../env.ts";
import { sendAlertEvent } from "./alert-webhook.ts";
import { evaluateAlerts } from "./alerts.ts";
import { readQueueFigures } from "./queue-figures.ts";

export async function evaluateAlertsTask(env: OriginEnv, log: Logger): Promise<void> {
  if (!env.METRICS) {
    log.warn("alerts not evaluated: no METRICS aggregator binding");
    return;
  }
  const report = await evaluateAlerts({
    aggregator: metricsAggregator(env.METRICS),
    log,
    readBacklog: () => readQueueFigures(env),
    send: (event) => sendAlertEvent(env, event),
  });
  log.info("alerts evaluated", { firing: report.firing.map((a) => a.ruleId), transitions: report.transitions.length, delivered: report.delivered, undelivered: report.undelivered });
}
