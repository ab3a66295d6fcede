// How many API requests this isolate is serving right now. Background work that only warms a
// cache (eager social cards: ~20-40 ms of CPU each, on the same thread as the API when the
// consumer shares the isolate, as in `wrangler dev`) checks it and gives way to requests.

let inFlight = 0;

/** Counts one API request for as long as `run` takes. */
export async function trackRequest<T>(run: () => Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await run();
  } finally {
    inFlight--;
  }
}

/** True while this isolate serves at least one API request. */
export function apiBusy(): boolean {
  return inFlight > 0;
}
