import { DurableObject } from "cloudflare:workers";

/** One shard of the scan counters; views are added here off the hot path and flushed to the origin. */
export class ScanCounter extends DurableObject {
  async add(credentialId: string, count = 1): Promise<void> {
    const key = `scans:${credentialId}`;
    await this.ctx.storage.put(key, ((await this.ctx.storage.get<number>(key)) ?? 0) + count);
  }
}
