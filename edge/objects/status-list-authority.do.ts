import { DurableObject } from "cloudflare:workers";

/**
 * The authority for one status list: the origin pushes every change here, so a revocation is
 * visible at every edge within seconds (KV alone may take a minute to propagate).
 */
export class StatusListAuthority extends DurableObject {
  /** The latest signed status list credential, or null before the origin has pushed one. */
  async current(): Promise<string | null> {
    return (await this.ctx.storage.get<string>("jwt")) ?? null;
  }

  /** Stores a newer signed status list credential (called by the origin). */
  async publish(jwt: string): Promise<void> {
    await this.ctx.storage.put("jwt", jwt);
  }
}
