import { DurableObject } from "cloudflare:workers";
import type { CounterRow, MetricsAggregatorRpc, SeriesTotal, WindowRow } from "../../shared/observability/aggregator-rpc.ts";
import { HISTOGRAM_CELLS, type MetricsBatch } from "../../shared/observability/metrics-points.ts";

/** Minutes of per-minute buckets kept: the slow alert window (6 h) plus an hour of margin. */
export const RETENTION_MINUTES = 7 * 60;
/** Most series cells one batch may carry (an isolate's buffer holds at most 2,000). */
const MAX_CELLS_PER_BATCH = 5000;
const MAX_LABEL = 200;

const H = Array.from({ length: HISTOGRAM_CELLS }, (_, i) => `h${i}`);
const H_DECL = H.map((h) => `${h} INTEGER NOT NULL DEFAULT 0`).join(", ");
const H_SUM = H.map((h) => `SUM(${h}) AS ${h}`).join(", ");
const H_ADD = H.map((h) => `${h} = ${h} + excluded.${h}`).join(", ");

const label = (value: unknown) => String(value ?? "").slice(0, MAX_LABEL);
const whole = (value: unknown) => (Number.isFinite(value) && (value as number) > 0 ? Math.floor(value as number) : 0);
const histogramOf = (row: Record<string, SqlStorageValue>) => H.map((h) => Number(row[h] ?? 0));

/**
 * The stack-wide metrics aggregator (one object, `idFromName("stack")`): every isolate of both
 * Workers sends it batches of pre-aggregated minute cells (shared/observability/metrics-recorder.ts);
 * it sums them into per-minute buckets (kept RETENTION_MINUTES) and running totals, and answers the
 * readers: /metrics, /ops and the alert evaluator. It also keeps the alerts' state (a small
 * key/value table), which must survive a database outage, the very thing some alerts report.
 */
export class MetricsAggregator extends DurableObject implements MetricsAggregatorRpc {
  private lastPrunedMinute = 0;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS minutes (minute INTEGER NOT NULL, service TEXT NOT NULL, kind TEXT NOT NULL, grp TEXT NOT NULL,
      cls TEXT NOT NULL, count INTEGER NOT NULL, errors INTEGER NOT NULL, sum_ms REAL NOT NULL, ${H_DECL},
      PRIMARY KEY (minute, service, kind, grp, cls))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS totals (service TEXT NOT NULL, kind TEXT NOT NULL, grp TEXT NOT NULL, cls TEXT NOT NULL,
      count INTEGER NOT NULL, errors INTEGER NOT NULL, sum_ms REAL NOT NULL, ${H_DECL}, PRIMARY KEY (service, kind, grp, cls))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS counter_minutes (minute INTEGER NOT NULL, service TEXT NOT NULL, name TEXT NOT NULL,
      value REAL NOT NULL, PRIMARY KEY (minute, service, name))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS counter_totals (service TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (service, name))`);
    sql.exec("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  }

  /** Adds one isolate's batch. */
  async ingest(batch: MetricsBatch): Promise<void> {
    const sql = this.ctx.storage.sql;
    const cells = Array.isArray(batch?.series) ? batch.series.slice(0, MAX_CELLS_PER_BATCH) : [];
    const counters = Array.isArray(batch?.counters) ? batch.counters.slice(0, MAX_CELLS_PER_BATCH) : [];
    let newest = 0;
    this.ctx.storage.transactionSync(() => {
      for (const c of cells) {
        const minute = whole(c.minute);
        newest = Math.max(newest, minute);
        const hist = H.map((_, i) => whole(c.histogram?.[i]));
        const values = [label(c.service), label(c.kind), label(c.group), label(c.statusClass), whole(c.count), whole(c.errors), Math.max(0, Number(c.sumMs) || 0), ...hist];
        const marks = values.map(() => "?").join(", ");
        sql.exec(
          `INSERT INTO minutes (minute, service, kind, grp, cls, count, errors, sum_ms, ${H.join(", ")}) VALUES (?, ${marks})
           ON CONFLICT DO UPDATE SET count = count + excluded.count, errors = errors + excluded.errors, sum_ms = sum_ms + excluded.sum_ms, ${H_ADD}`,
          minute,
          ...values,
        );
        sql.exec(
          `INSERT INTO totals (service, kind, grp, cls, count, errors, sum_ms, ${H.join(", ")}) VALUES (${marks})
           ON CONFLICT DO UPDATE SET count = count + excluded.count, errors = errors + excluded.errors, sum_ms = sum_ms + excluded.sum_ms, ${H_ADD}`,
          ...values,
        );
      }
      for (const c of counters) {
        const minute = whole(c.minute);
        const value = Number.isFinite(c.value) ? c.value : 0;
        sql.exec(
          "INSERT INTO counter_minutes (minute, service, name, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = value + excluded.value",
          minute, label(c.service), label(c.name), value,
        );
        sql.exec(
          "INSERT INTO counter_totals (service, name, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = value + excluded.value",
          label(c.service), label(c.name), value,
        );
      }
      if (whole(batch?.dropped) > 0) {
        sql.exec(
          "INSERT INTO counter_totals (service, name, value) VALUES ('aggregator', 'laurel_metrics_points_dropped_total', ?) ON CONFLICT DO UPDATE SET value = value + excluded.value",
          whole(batch.dropped),
        );
      }
    });
    if (newest > this.lastPrunedMinute) this.prune(newest);
  }

  /** Running totals per series and counter, optionally of one service. */
  async totals(service?: string): Promise<{ series: SeriesTotal[]; counters: CounterRow[] }> {
    const sql = this.ctx.storage.sql;
    const where = service ? "WHERE service = ?" : "";
    const args = service ? [service] : [];
    const series = sql.exec(`SELECT * FROM totals ${where} ORDER BY service, kind, grp, cls`, ...args).toArray().map((r) => ({
      service: String(r.service), kind: String(r.kind), group: String(r.grp), statusClass: String(r.cls),
      count: Number(r.count), errors: Number(r.errors), sumMs: Number(r.sum_ms), histogram: histogramOf(r),
    }));
    const counters = sql.exec(`SELECT * FROM counter_totals ${where} ORDER BY service, name`, ...args).toArray().map((r) => ({
      service: String(r.service), name: String(r.name), value: Number(r.value),
    }));
    return { series, counters };
  }

  /** Sums per series (service, kind, group) over minutes [fromMinute, toMinute], or per minute too. */
  async window(fromMinute: number, toMinute: number, perMinute = false): Promise<WindowRow[]> {
    const by = perMinute ? "minute, service, kind, grp" : "service, kind, grp";
    const rows = this.ctx.storage.sql
      .exec(
        `SELECT ${by}, SUM(count) AS count, SUM(errors) AS errors, SUM(sum_ms) AS sum_ms, ${H_SUM}
         FROM minutes WHERE minute BETWEEN ? AND ? GROUP BY ${by} ORDER BY ${by}`,
        fromMinute,
        toMinute,
      )
      .toArray();
    return rows.map((r) => ({
      ...(perMinute ? { minute: Number(r.minute) } : {}),
      service: String(r.service), kind: String(r.kind), group: String(r.grp),
      count: Number(r.count), errors: Number(r.errors), sumMs: Number(r.sum_ms), histogram: histogramOf(r),
    }));
  }

  /** Counter increases over minutes [fromMinute, toMinute]. */
  async counterWindow(fromMinute: number, toMinute: number): Promise<CounterRow[]> {
    return this.ctx.storage.sql
      .exec("SELECT service, name, SUM(value) AS value FROM counter_minutes WHERE minute BETWEEN ? AND ? GROUP BY service, name ORDER BY service, name", fromMinute, toMinute)
      .toArray()
      .map((r) => ({ service: String(r.service), name: String(r.name), value: Number(r.value) }));
  }

  /** A stored JSON value (alert state), or null. */
  async getState<T>(key: string): Promise<T | null> {
    const row = this.ctx.storage.sql.exec("SELECT value FROM state WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(String(row.value)) as T) : null;
  }

  async putState(key: string, value: unknown): Promise<void> {
    this.ctx.storage.sql.exec("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
  }

  private prune(newestMinute: number): void {
    this.lastPrunedMinute = newestMinute;
    const before = newestMinute - RETENTION_MINUTES;
    this.ctx.storage.sql.exec("DELETE FROM minutes WHERE minute < ?", before);
    this.ctx.storage.sql.exec("DELETE FROM counter_minutes WHERE minute < ?", before);
  }
}
