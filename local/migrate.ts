// Applies the drizzle-kit migrations in migrations/ to the local database file, or to
// LIBSQL_URL when it is set (e.g. a Turso database: LIBSQL_URL + LIBSQL_AUTH_TOKEN).
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Migrates the database at `url` (a `file:` path or a libSQL URL) to the newest schema. */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  if (url.startsWith("file:")) fs.mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
  const migrationsFolder = path.join(root, "migrations");
  if (!fs.existsSync(path.join(migrationsFolder, "meta", "_journal.json"))) return; // no schema yet
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { readStackConfig } = await import("./config.ts");
  const url = process.env.LIBSQL_URL || `file:${readStackConfig(root).databaseFile}`;
  const started = Date.now();
  await migrateDatabase(url, process.env.LIBSQL_AUTH_TOKEN);
  console.log(JSON.stringify({ ts: new Date().toISOString(), level: "info", service: "migrate", operation: "db.migrate", durationMs: Date.now() - started, status: "ok", target: url.replace(/\?.*$/, "") }));
}
