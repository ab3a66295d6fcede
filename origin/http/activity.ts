// Whether this isolate's API is busy. Background work that only warms a cache (eager social
// cards: ~20-40 ms of CPU each, on the same thread as the API when the consumer shares the
// isolate, as in `wrangler dev`) checks it and gives way to requests.
//
// "Busy" is a request in flight or one seen in the last QUIET_MS: under steady load there are
// instants with none in flight, and a card started in such an instant blocks the requests that
// arrive during it (measured: 100 cards rendered back to back during a 20-client load, a 3.7 s
// stall). Requests that arrived during a render register before the next check, as the warm-up
// yields to the event loop between cards.

/** How long after the last request the API counts as idle. */
export const QUIET_MS = 250;

let inFlight = 0;
let lastSeen = Number.NEGATIVE_INFINITY;

/** Counts one API request for as long as `run` takes. */
export async function trackRequest<T>(run: () => Promise<T>): Promise<T> {
  inFlight++;
  lastSeen = Date.now();
  try {
    return await run();
  } finally {
    inFlight--;
    lastSeen = Date.now();
  }
}

/** True while this isolate serves a request or served one less than QUIET_MS ago. */
export function apiBusy(now = Date.now()): boolean {
  return inFlight > 0 || now - lastSeen < QUIET_MS;
}
