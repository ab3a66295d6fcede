// ops/alerts.yml (for Prometheus users) must say what origin/ops/alert-rules.ts says: for every
// availability and latency rule, one Prometheus rule per window pair with the same windows, burn
// rate and budget; and the backlog limit.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALERT_RULES } from "./alert-rules.ts";

// Read as text, one block per `- alert:` (no YAML parser among the project's dependencies).
const text = fs.readFileSync(path.join(import.meta.dirname, "../../ops/alerts.yml"), "utf8");
const promRules = text
  .split(/\n\s*- alert: /)
  .slice(1)
  .map((block) => ({
    alert: block.split("\n")[0]!.trim(),
    expr: block,
    labels: { severity: /severity: (\w+)/.exec(block)?.[1] ?? "" },
  }));
const minutes = (m: number) => (m % 60 === 0 ? `${m / 60}h` : `${m}m`);

describe("ops/alerts.yml agrees with the evaluated rules", () => {
  for (const rule of ALERT_RULES) {
    it(rule.id, () => {
      if (rule.kind === "backlog") {
        const selector = !rule.queues ? "laurel_queue_oldest_age_seconds" : "only" in rule.queues ? `queue="${rule.queues.only.join("|")}"` : `queue!="${rule.queues.exclude.join("|")}"`;
        const match = promRules.filter((r) => r.expr.includes(selector) && r.expr.includes(`> ${rule.maxAgeSeconds}`) && r.labels.severity === rule.severity);
        expect(match.map((r) => r.alert)).toHaveLength(1);
        return;
      }
      const budget = Math.round((1 - rule.objective) * 1e6) / 1e6;
      for (const w of rule.windows) {
        const match = promRules.filter(
          (r) =>
            r.expr.includes(`service="${rule.service}"`) &&
            r.expr.includes(rule.kind === "latency" ? `le="${rule.thresholdMs}"` : "laurel_request_errors_total") &&
            r.expr.includes(`[${minutes(w.longMinutes)}]`) &&
            r.expr.includes(`[${minutes(w.shortMinutes)}]`) &&
            r.expr.includes(`(${w.burnRate} * ${budget})`) &&
            r.labels.severity === w.severity,
        );
        expect(match.map((r) => r.alert)).toHaveLength(1);
      }
    });
  }
});
