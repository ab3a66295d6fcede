// Background CPU work that must be done (unlike warm-while-idle.ts, which may skip) but should not
// hold up the API: Data Integrity signatures of batch credentials cost ~7 ms of CPU each, on the
// thread that also answers the API when a consumer shares its isolate (as in `wrangler dev`).
// Before each signature the job yields, then waits while the API is busy, for a bounded time, so a
// steady API load slows the proofs down but never stops them.
import { apiBusy } from "../../http/activity.ts";

/** Yield before each step: long enough for requests that arrived during the last one to register. */
const YIELD_MS = 5;
/** Poll interval while the API is busy. */
const POLL_MS = 25;
/** Longest wait per step: past it the step runs even under load, so proofs always progress. */
export const MAX_GIVE_WAY_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Yields, then waits (at most MAX_GIVE_WAY_MS) until this isolate's API is idle. */
export async function giveWayToApi(): Promise<void> {
  await sleep(YIELD_MS);
  const until = Date.now() + MAX_GIVE_WAY_MS;
  while (apiBusy() && Date.now() < until) await sleep(POLL_MS);
}
