// A database that is slow on purpose: the Worker's libSQL client talks to the real test server,
// but the first HTTP request whose statements match a pattern waits until the test releases it.
// Tests use it to hold a request open at a known step (e.g. just before its INSERT commits) and
// send a concurrent repeat meanwhile, so the interleaving under test is certain, not lucky.
//
// Why global fetch: origin/db/deadline.ts's fetch calls `globalThis.fetch` on every round trip, so
// the wrapper sees every client's requests and holds only the first whose statements match. The
// held environment gets a long deadline of its own (LIBSQL_TIMEOUT_MS, part of the client cache
// key in origin/db/client.ts), so the held call is not cut off as a database outage meanwhile.
import type { OriginEnv } from "../env.ts";

export interface HeldDatabase {
  /** Bindings to spread over the test env: the same database, reached through the holding client. */
  env: Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "LIBSQL_TIMEOUT_MS">;
  /** Resolves when the matching request has been sent and is being held. */
  reached: Promise<void>;
  /** Lets the held request (and any later one) through. */
  release(): void;
}

/** Holds the first database request whose body matches `statement` (e.g. /INSERT INTO credentials/). */
export function holdDatabaseAt(base: Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN">, statement: RegExp): HeldDatabase {
  const realFetch = globalThis.fetch;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let held = false;

  const holdingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!held && request.method === "POST") {
      const body = await request.clone().text();
      if (statement.test(body)) {
        held = true;
        arrived();
        await gate;
      }
    }
    return realFetch(request);
  };

  globalThis.fetch = holdingFetch;
  return {
    env: { LIBSQL_URL: base.LIBSQL_URL, LIBSQL_AUTH_TOKEN: base.LIBSQL_AUTH_TOKEN, LIBSQL_TIMEOUT_MS: "60000" },
    reached,
    release() {
      if (globalThis.fetch === holdingFetch) globalThis.fetch = realFetch;
      open();
    },
  };
}
