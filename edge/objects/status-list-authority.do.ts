import { DurableObject } from "cloudflare:workers";
import type { StatusListProjection } from "../../shared/kv-keys.ts";

/**
 * The authority for one status list (one object per list, `idFromName(listId)`): the origin pushes
 * every change here, so a revocation is visible at every edge within seconds (KV alone may take a
 * minute to propagate). Edges read it through their location's StatusListRelay, at most once per
 * location per 2 s (edge/services/status-lists.ts, docs/capacity.md).
 */
export class StatusListAuthority extends DurableObject {
  private latest: StatusListProjection | null | undefined;

  /** The latest pushed projection, or null before the origin has pushed one. */
  async current(): Promise<StatusListProjection | null> {
    if (this.latest === undefined) this.latest = (await this.ctx.storage.get<StatusListProjection>("projection")) ?? null;
    return this.latest;
  }

  /**
   * Stores a newer status list projection (called by the origin on every change). Pushes arrive
   * at least once and maybe out of order: a version older than the stored one is ignored.
   * Returns whether it was stored and the version now held.
   */
  async publish(projection: StatusListProjection): Promise<{ stored: boolean; version: number }> {
    if (!projection || typeof projection.jwt !== "string" || typeof projection.version !== "number") {
      throw new TypeError("publish expects a StatusListProjection with jwt and version");
    }
    const held = await this.current();
    if (held && held.version > projection.version) return { stored: false, version: held.version };
    await this.ctx.storage.put("projection", projection);
    this.latest = projection;
    return { stored: true, version: projection.version };
  }
}
