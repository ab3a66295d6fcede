// Per-day analytics of an org (optionally one achievement or one credential): issued and revoked
// from the credentials table, the edge's counted events from credential_daily_counts. Every query
// is bounded by the org id and a date range of at most MAX_RANGE_DAYS.
import { COUNTED_EVENTS, COUNT_COLUMNS, type CountedEvent } from "../../../shared/origin-rpc.ts";
import type { Database } from "../../db/client.ts";
import { dayStartMs, eachDay } from "./days.ts";

/** Longest range one query covers (days, both ends included). */
export const MAX_RANGE_DAYS = 366;
/** Range when the query names none: the last 30 days, today (UTC) included. */
export const DEFAULT_RANGE_DAYS = 30;

type Events = Record<CountedEvent, number>;

/** One day's figures (or the totals): `issued`, `revoked`, people's events, and bots' events apart. */
export interface Figures extends Events {
  issued: number;
  revoked: number;
  bots: Events;
}

export interface DayFigures extends Figures {
  date: string;
}

/** What is counted: the org's figures, narrowed to one achievement or one credential. */
export interface AnalyticsScope {
  orgId: string;
  from: string;
  to: string;
  achievementId?: string;
  credentialId?: string;
}

const zeroEvents = (): Events => Object.fromEntries(COUNTED_EVENTS.map((e) => [e, 0])) as Events;
const zeroFigures = (): Figures => ({ issued: 0, revoked: 0, ...zeroEvents(), bots: zeroEvents() });

/** ` AND <column> = ?` for each narrowing the scope sets, with its arguments. */
function narrowing(scope: AnalyticsScope, columns: { achievement: string; credential: string }): { sql: string; args: string[] } {
  let sql = "";
  const args: string[] = [];
  if (scope.achievementId) (sql += ` AND ${columns.achievement} = ?`), args.push(scope.achievementId);
  if (scope.credentialId) (sql += ` AND ${columns.credential} = ?`), args.push(scope.credentialId);
  return { sql, args };
}

/** Credentials issued (or revoked) per UTC day in the scope. */
async function perDay(db: Database, scope: AnalyticsScope, column: "issued_at" | "revoked_at"): Promise<Map<string, number>> {
  const narrow = narrowing(scope, { achievement: "achievement_id", credential: "id" });
  const result = await db.$client.execute({
    sql: `SELECT strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch') AS day, count(*) AS n FROM credentials
          WHERE org_id = ? AND ${column} >= ? AND ${column} < ?${narrow.sql} GROUP BY day`,
    args: [scope.orgId, dayStartMs(scope.from), dayStartMs(scope.to) + 86_400_000, ...narrow.args],
  });
  return new Map(result.rows.map((r) => [String(r.day), Number(r.n)]));
}

/** The edge's counted events per UTC day in the scope. */
async function eventsPerDay(db: Database, scope: AnalyticsScope): Promise<Map<string, Record<string, number>>> {
  const narrow = narrowing(scope, { achievement: "achievement_id", credential: "credential_id" });
  const result = await db.$client.execute({
    sql: `SELECT day, ${COUNT_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM credential_daily_counts
          WHERE org_id = ? AND day >= ? AND day <= ?${narrow.sql} GROUP BY day`,
    args: [scope.orgId, scope.from, scope.to, ...narrow.args],
  });
  return new Map(result.rows.map((r) => [String(r.day), Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(r[c] ?? 0)]))]));
}

/** Every day of the range (zeros included) and the totals. The caller has checked the scope's org owns its ids. */
export async function analyticsPerDay(db: Database, scope: AnalyticsScope): Promise<{ days: DayFigures[]; totals: Figures }> {
  const [issued, revoked, events] = await Promise.all([perDay(db, scope, "issued_at"), perDay(db, scope, "revoked_at"), eventsPerDay(db, scope)]);
  const totals = zeroFigures();
  const days = eachDay(scope.from, scope.to).map((date) => {
    const day: DayFigures = { date, ...zeroFigures() };
    day.issued = issued.get(date) ?? 0;
    day.revoked = revoked.get(date) ?? 0;
    const counted = events.get(date);
    for (const e of COUNTED_EVENTS) {
      day[e] = counted?.[e] ?? 0;
      day.bots[e] = counted?.[`bot_${e}`] ?? 0;
    }
    totals.issued += day.issued;
    totals.revoked += day.revoked;
    for (const e of COUNTED_EVENTS) (totals[e] += day[e]), (totals.bots[e] += day.bots[e]);
    return day;
  });
  return { days, totals };
}
