// Background rendering that yields to the API: social cards and certificate PDFs are rendered
// ahead of their first request only while this isolate's API is idle, since a render costs tens of
// ms of CPU on the thread that also answers the API when a consumer shares its isolate. Whatever
// is not warmed here the edge has rendered on its first request, so skipping loses nothing.
import { apiBusy } from "../../http/activity.ts";

/** How long warming yields before each check of `apiBusy`. */
const YIELD_MS = 10;

/**
 * Runs `warm` on each item, one at a time, stopping at the first sign of API traffic. `warm`
 * answers whether it rendered (false: the stored copy was current); a failure counts as skipped.
 * Never throws; returns how many were rendered and skipped.
 */
export async function warmWhileIdle<T>(items: readonly T[], warm: (item: T) => Promise<boolean>): Promise<{ rendered: number; skipped: number }> {
  let rendered = 0;
  let skipped = 0;
  for (const [i, item] of items.entries()) {
    // Long enough for requests held up by the previous step (a render, the publication before
    // it) to be dispatched and counted: with a 0 ms yield a card still started right after a
    // 300 ms first render, while twenty requests waited. Once the API is busy, the rest waits
    // for the edge too.
    await new Promise((resolve) => setTimeout(resolve, YIELD_MS));
    if (apiBusy()) {
      skipped += items.length - i;
      break;
    }
    try {
      if (await warm(item)) rendered++;
    } catch {
      skipped++;
    }
  }
  return { rendered, skipped };
}
