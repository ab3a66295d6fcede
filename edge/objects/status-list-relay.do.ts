import { DurableObject } from "cloudflare:workers";
import type { StatusListProjection } from "../../shared/kv-keys.ts";
import { LoadCoalescer } from "../cache/coalesce.ts";
import type { EdgeEnv } from "../env.ts";

/** A copy of a list as the authority answered it, and when (epoch ms) the authority was asked. */
export interface RelayedStatusList {
  /** null: the authority holds no projection of this list (the caller tries KV, then the origin). */
  projection: StatusListProjection | null;
  readAt: number;
}

/**
 * The per-location tier in front of a StatusListAuthority (one object per list and Cloudflare
 * location, `idFromName("<colo>/<listId>")`, so it is created near the isolates that use it).
 *
 * Why an object and not only the Cache API: isolates of one location that miss the Cache API at
 * the same moment would each ask the authority, so the Cache API alone cannot bound the authority's
 * reads per location. One object is single-threaded, so it can: it asks the authority at most once
 * per `freshMs` (concurrent callers share the settled answer) and hands out the authority's read
 * time, which every tier below uses as the start of its own freshness (so the revocation bound
 * stays `freshMs` after the push, however many tiers a copy passed through).
 */
export class StatusListRelay extends DurableObject<EdgeEnv> {
  private held: RelayedStatusList | undefined;
  private readonly loads = new LoadCoalescer<RelayedStatusList>();
  private calls = 0;
  private authorityReads = 0;

  /**
   * The list `listId` as the authority answered it at most `freshMs` ago. Throws when the authority
   * is unreachable and nothing fresh is held (the caller falls back as it did without a relay).
   */
  async read(listId: string, freshMs: number): Promise<RelayedStatusList> {
    this.calls += 1;
    const held = this.held;
    if (held && Date.now() - held.readAt < freshMs) return held;
    return this.loads.run(listId, async () => {
      this.authorityReads += 1;
      const readAt = Date.now();
      const projection = await this.env.STATUS_LISTS.get(this.env.STATUS_LISTS.idFromName(listId)).current();
      const read = { projection, readAt };
      this.held = read;
      return read;
    });
  }

  /** How often this object was asked, and how often it asked the authority (tests, capacity measurements). */
  async stats(): Promise<{ calls: number; authorityReads: number }> {
    return { calls: this.calls, authorityReads: this.authorityReads };
  }
}
