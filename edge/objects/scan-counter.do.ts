import { DurableObject } from "cloudflare:workers";
import { COUNT_COLUMNS, MAX_SCAN_IDS_PER_CALL, SCAN_COUNT_LIMIT, type CountColumn, type CountFlush, type CountRow } from "../../shared/origin-rpc.ts";
import type { EdgeEnv } from "../env.ts";
import { callOrigin } from "../services/origin.ts";

/** How often a shard flushes its counts to the origin. */
export const SCAN_FLUSH_INTERVAL_MS = 30_000;
/** Pause between chunks while a backlog (more than one chunk) drains. */
export const SCAN_DRAIN_INTERVAL_MS = 1_000;
/**
 * Most distinct (credential, day) rows a shard holds besides the chunk in flight (16 shards:
 * 320,000). While the origin is down the counts of rows already held keep growing; counts of
 * further rows are dropped (analytics, not state).
 */
export const MAX_PENDING_IDS = 20_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const PREFIX = "scans:";
const HELD_IDS = "held-ids";
/** The chunk sent to the origin and not yet confirmed: resent as is, same flush id, until it is. */
const IN_FLIGHT = "in-flight";
/** Random per shard storage: a shard whose storage was lost never reuses an applied flush id. */
const EPOCH = "flush-epoch";
const SEQUENCE = "flush-seq";
// Durable Object storage takes at most 128 keys per multi-key get/put/delete.
const MAX_KEYS = 128;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN_COLUMNS = new Set<string>(COUNT_COLUMNS);

type Counts = Partial<Record<CountColumn, number>>;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_KEYS) out.push(items.slice(i, i + MAX_KEYS));
  return out;
}

const keyOf = (row: { credentialId: string; day: string }) => `${PREFIX}${row.credentialId} ${row.day}`;

function rowOf(key: string, counts: Counts): CountRow {
  const [credentialId = "", day = ""] = key.slice(PREFIX.length).split(" ");
  return { credentialId, day, counts };
}

/** The positive counts of known columns in `counts`. */
function cleanCounts(counts: unknown): Counts {
  const out: Counts = {};
  if (typeof counts !== "object" || counts === null) return out;
  for (const [column, n] of Object.entries(counts)) {
    if (KNOWN_COLUMNS.has(column) && Number.isSafeInteger(n) && n > 0) out[column as CountColumn] = n;
  }
  return out;
}

function addCounts(into: Counts, more: Counts): Counts {
  const out: Counts = { ...into };
  for (const [column, n] of Object.entries(more) as [CountColumn, number][]) out[column] = Math.min(Number.MAX_SAFE_INTEGER, (out[column] ?? 0) + n);
  return out;
}

/** What one flush did: `more` when a backlog is left for the next one. */
export interface FlushOutcome {
  ok: boolean;
  flushed: number;
  more: boolean;
  /** The flush id sent (a retry sends the same one again). */
  flushId?: string;
  error?: string;
}

/**
 * One shard of the event counters (edge/services/scans.ts picks the shard by hash of the id).
 * Counts per (credential, UTC day) are added off the hot path and flushed to the origin's
 * `recordCounts` from the alarm, at most MAX_SCAN_IDS_PER_CALL rows per call (the most the origin
 * accepts), so a backlog built up during an origin outage drains chunk by chunk.
 *
 * Exactly-once flushes: a chunk is moved out of the pending counts into the in-flight slot together
 * with its flush id (`<epoch>:<sequence>`) in one storage write, then sent. Only the origin's answer
 * releases it; on failure (or no answer) the same chunk with the same id is sent again with backoff,
 * and the origin, which records applied flush ids in the transaction of the increments, applies it
 * once. Counts arriving meanwhile go to the pending rows, bounded by MAX_PENDING_IDS.
 */
export class ScanCounter extends DurableObject<EdgeEnv> {
  /** Adds counts and makes sure a flush is scheduled; returns how many new rows were dropped for lack of room. */
  async add(rows: CountRow[]): Promise<{ dropped: number }> {
    const merged = new Map<string, Counts>();
    for (const row of Array.isArray(rows) ? rows : []) {
      if (typeof row?.credentialId !== "string" || row.credentialId.includes(" ") || typeof row.day !== "string" || !DAY.test(row.day)) continue;
      const counts = cleanCounts(row.counts);
      if (Object.keys(counts).length === 0) continue;
      merged.set(keyOf(row), addCounts(merged.get(keyOf(row)) ?? {}, counts));
    }
    if (merged.size === 0) return { dropped: 0 };
    let held = (await this.ctx.storage.get<number>(HELD_IDS)) ?? 0;
    let dropped = 0;
    for (const part of chunks([...merged.keys()])) {
      const now = await this.ctx.storage.get<Counts>(part);
      const next: Record<string, Counts> = {};
      for (const key of part) {
        const before = now.get(key);
        if (before === undefined) {
          if (held >= MAX_PENDING_IDS) {
            dropped++;
            continue;
          }
          held++;
        }
        next[key] = addCounts(before ?? {}, merged.get(key) ?? {});
      }
      if (Object.keys(next).length > 0) await this.ctx.storage.put(next);
    }
    await this.ctx.storage.put(HELD_IDS, held);
    if (dropped > 0) this.warn("counts dropped: shard full", { dropped, held });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
    return { dropped };
  }

  /** Counts not yet confirmed by the origin (pending and in flight), per credential id, summed over days. */
  async pending(): Promise<Record<string, Counts>> {
    const out: Record<string, Counts> = {};
    const rows: CountRow[] = [...(await this.ctx.storage.list<Counts>({ prefix: PREFIX }))].map(([key, counts]) => rowOf(key, counts));
    rows.push(...((await this.ctx.storage.get<CountFlush>(IN_FLIGHT))?.rows ?? []));
    for (const row of rows) out[row.credentialId] = addCounts(out[row.credentialId] ?? {}, row.counts);
    return out;
  }

  /**
   * Sends the in-flight chunk, or else moves the next chunk of pending rows (≤ MAX_SCAN_IDS_PER_CALL,
   * each count below the origin's limit; any excess stays pending) into flight and sends it.
   * Never throws; on failure the chunk stays in flight for the next attempt.
   */
  async flush(): Promise<FlushOutcome> {
    const flight = (await this.ctx.storage.get<CountFlush>(IN_FLIGHT)) ?? (await this.nextFlight());
    if (!flight) return { ok: true, flushed: 0, more: false };
    try {
      await callOrigin(this.env, "recordCounts", flight);
    } catch (error) {
      return { ok: false, flushed: 0, more: false, flushId: flight.flushId, error: error instanceof Error ? error.message : String(error) };
    }
    // Only this chunk: a concurrent flush may have confirmed it already and put the next one in flight.
    if ((await this.ctx.storage.get<CountFlush>(IN_FLIGHT))?.flushId === flight.flushId) await this.ctx.storage.delete(IN_FLIGHT);
    const left = await this.ctx.storage.list({ prefix: PREFIX, limit: 1 });
    return { ok: true, flushed: flight.rows.length, more: left.size > 0 && flight.rows.length >= MAX_SCAN_IDS_PER_CALL, flushId: flight.flushId };
  }

  /** Takes the next chunk out of the pending rows and stores it in flight with a new flush id; null when nothing is pending. */
  private async nextFlight(): Promise<CountFlush | null> {
    const listed = [...(await this.ctx.storage.list<Counts>({ prefix: PREFIX, limit: MAX_SCAN_IDS_PER_CALL }))];
    if (listed.length === 0) return null;
    const rows: CountRow[] = [];
    const keep: Record<string, Counts> = {};
    const drop: string[] = [];
    for (const [key, counts] of listed) {
      const sent: Counts = {};
      const rest: Counts = {};
      for (const [column, n] of Object.entries(counts) as [CountColumn, number][]) {
        sent[column] = Math.min(n, SCAN_COUNT_LIMIT - 1);
        if (n > SCAN_COUNT_LIMIT - 1) rest[column] = n - (SCAN_COUNT_LIMIT - 1);
      }
      rows.push(rowOf(key, sent));
      if (Object.keys(rest).length > 0) keep[key] = rest;
      else drop.push(key);
    }
    let epoch = await this.ctx.storage.get<string>(EPOCH);
    if (!epoch) {
      epoch = crypto.randomUUID();
      await this.ctx.storage.put(EPOCH, epoch);
    }
    const sequence = (await this.ctx.storage.get<number>(SEQUENCE)) ?? 0;
    const held = (await this.ctx.storage.get<number>(HELD_IDS)) ?? 0;
    const flight: CountFlush = { flushId: `${epoch}:${sequence}`, rows };
    // One atomic write (no await between the calls: Durable Object storage coalesces them): the
    // rows leave the pending set exactly when they enter the in-flight slot.
    const writes: Promise<unknown>[] = [this.ctx.storage.put<unknown>({ [IN_FLIGHT]: flight, [SEQUENCE]: sequence + 1, [HELD_IDS]: Math.max(0, held - drop.length) })];
    for (const part of chunks(drop)) writes.push(this.ctx.storage.delete(part));
    for (const part of chunks(Object.keys(keep))) writes.push(this.ctx.storage.put(Object.fromEntries(part.map((k) => [k, keep[k]]))));
    await Promise.all(writes);
    return flight;
  }

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const outcome = await this.flush();
    if (!outcome.ok) {
      const failures = ((await this.ctx.storage.get<number>("failures")) ?? 0) + 1;
      await this.ctx.storage.put("failures", failures);
      this.warn("flush failed", { attempt: info?.retryCount, failures, flushId: outcome.flushId, error: outcome.error });
      await this.ctx.storage.setAlarm(Date.now() + Math.min(SCAN_FLUSH_INTERVAL_MS * 2 ** failures, MAX_BACKOFF_MS));
      return;
    }
    await this.ctx.storage.delete("failures");
    if (outcome.more) await this.ctx.storage.setAlarm(Date.now() + SCAN_DRAIN_INTERVAL_MS);
    else if ((await this.ctx.storage.list({ prefix: PREFIX, limit: 1 })).size > 0) await this.ctx.storage.setAlarm(Date.now() + SCAN_FLUSH_INTERVAL_MS);
  }

  private warn(message: string, fields: Record<string, unknown>): void {
    console.error(JSON.stringify({ ts: new Date().toISOString(), level: "warn", service: "edge", operation: "scans.flush", message, ...fields }));
  }
}
