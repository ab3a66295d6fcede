// Status list slots for new credentials. Each list hands out positions 0..size-1 through an
// atomic counter (`allocated`); a keyed permutation maps each position to a scattered index.
// The UNIQUE (status_list_id, status_index) constraint remains the final guard: an insert that
// still collides (e.g. after the secret changed) is retried by the issuance service.
import { TtlLru } from "../../../shared/cache/ttl-lru.ts";
import type { Database } from "../../db/client.ts";
import { statusLists } from "../../db/schema/index.ts";
import { permutationFor } from "./permutation.ts";

/** Entries per list: the Bitstring Status List v1.0 minimum (16 KiB), for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;
/** Largest number of slots taken from one list in one statement. */
const MAX_RESERVATION = 1000;

export interface StatusSlot {
  statusListId: string;
  statusIndex: number;
}

/** A new, empty status list row of the org (version 0, not yet signed). */
export function newStatusListRow(orgId: string, allocated = 0): typeof statusLists.$inferInsert {
  return { id: crypto.randomUUID(), orgId, size: STATUS_LIST_SIZE, allocated, version: 0, createdAt: new Date() };
}

/**
 * Reserves `count` slots for the org: from its oldest list with room, else a new list (whose id
 * is returned in `createdLists` so the caller can publish it). Concurrent callers never receive
 * the same position: the counter update is a single atomic statement.
 */
export async function reserveStatusSlots(
  db: Database,
  secret: string,
  orgId: string,
  count: number,
): Promise<{ slots: StatusSlot[]; createdLists: string[] }> {
  const slots: StatusSlot[] = [];
  const createdLists: string[] = [];
  let remaining = count;
  while (remaining > 0) {
    const n = Math.min(remaining, MAX_RESERVATION);
    const result = await db.$client.execute({
      sql: `UPDATE status_lists SET allocated = allocated + ?
            WHERE id = (SELECT id FROM status_lists WHERE org_id = ? AND allocated + ? <= size ORDER BY created_at, id LIMIT 1)
            RETURNING id, size, allocated`,
      args: [n, orgId, n],
    });
    let list: { id: string; size: number; allocated: number };
    const row = result.rows[0];
    if (row) {
      list = { id: String(row.id), size: Number(row.size), allocated: Number(row.allocated) };
    } else {
      // Every list is full (for this many slots): open a new one, born with the slots taken.
      const fresh = newStatusListRow(orgId, n);
      await db.insert(statusLists).values(fresh);
      createdLists.push(fresh.id);
      list = { id: fresh.id, size: fresh.size, allocated: n };
    }
    const perm = await permutationFor(secret, list.id, list.size);
    for (let position = list.allocated - n; position < list.allocated; position++) {
      slots.push({ statusListId: list.id, statusIndex: perm.at(position) });
    }
    remaining -= n;
  }
  return { slots, createdLists };
}

/**
 * Slots single issuance reserves at once per org and isolate (one UPDATE per this many POSTs
 * instead of one per POST). The trade-off: slots still pooled when the isolate ends are never
 * used, i.e. up to SLOT_PREFETCH - 1 permanent gaps per org per isolate lifetime in a list of
 * STATUS_LIST_SIZE. A gap is an index no credential holds (its bit stays 0); herd privacy and
 * correctness are unaffected, the UNIQUE constraint still guards every insert.
 */
export const SLOT_PREFETCH = 16;
const MAX_POOLED_ORGS = 1_000;
// By org; resolved slots only, never promises. Least recently used first out: an evicted pool's
// slots become gaps, so the orgs issuing now keep theirs.
const pools = new TtlLru<StatusSlot[]>(MAX_POOLED_ORGS, Infinity);

/**
 * One slot for single issuance, from this isolate's pool of the org, refilled SLOT_PREFETCH at a
 * time through `reserveStatusSlots`. Concurrent refills each add their slots to the pool: none is
 * dropped while the isolate lives.
 */
export async function takeStatusSlot(db: Database, secret: string, orgId: string): Promise<{ slots: StatusSlot[]; createdLists: string[] }> {
  const pooled = pools.get(orgId)?.shift();
  if (pooled) return { slots: [pooled], createdLists: [] };
  const reserved = await reserveStatusSlots(db, secret, orgId, SLOT_PREFETCH);
  const [mine, ...rest] = reserved.slots;
  let pool = pools.get(orgId);
  if (!pool) {
    pool = [];
    pools.set(orgId, pool);
  }
  pool.push(...rest);
  return { slots: [mine!], createdLists: reserved.createdLists };
}
