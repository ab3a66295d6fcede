// Database access: drizzle over libSQL's HTTP client, the same client against Turso in
// production and the local Hrana server in development. Every call has a deadline (deadline.ts).
import { createClient, type Client } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { originSetting, type OriginEnv } from "../env.ts";
import { deadlineFetch } from "./deadline.ts";
import * as schema from "./schema/index.ts";

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

// One client per isolate and URL: it holds no socket between calls, so sharing it is safe and
// saves re-parsing the config on every request. Bounded only as a guard: a Worker has one URL.
const clients = new TtlLru<Database>(8, Infinity);

/** The drizzle database for this Worker's `LIBSQL_URL` (calls fail after `LIBSQL_TIMEOUT_MS`). */
export function database(env: Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "LIBSQL_TIMEOUT_MS">): Database {
  const url = originSetting(env, "LIBSQL_URL");
  const authToken = originSetting(env, "LIBSQL_AUTH_TOKEN");
  const timeoutMs = originSetting(env, "LIBSQL_TIMEOUT_MS");
  const key = `${url}\u0000${authToken ?? ""}\u0000${timeoutMs}`;
  let db = clients.get(key);
  if (!db) {
    // No client-side concurrency limit (the default queues calls beyond 20): a call queued behind
    // another request's fetch waits on that request's I/O, and workerd cancels it as hung.
    const client = createClient({
      url,
      authToken,
      intMode: "number",
      concurrency: Number.MAX_SAFE_INTEGER,
      fetch: deadlineFetch(timeoutMs),
    });
    db = drizzle(client, { schema }) as Database;
    clients.set(key, db);
  }
  return db;
}
