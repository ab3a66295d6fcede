// Origin tests run inside workerd against a real libSQL engine: this starts the local Hrana
// server on a fresh, migrated database file for the test run (port from LAUREL_TEST_LIBSQL_PORT,
// default 18080, the same value vitest.config.ts gives the Worker as LIBSQL_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLibsqlServer } from "../../local/libsql-server/server.ts";
import { execFileSync } from "node:child_process";

export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-origin-test-"));
  const file = path.join(dir, "test.db");
  // Migrated in a child Node process: inside this setup, vite resolves @libsql/client with the
  // Workers conditions (its web build, which cannot open files).
  execFileSync(process.execPath, [path.join(import.meta.dirname, "../../local/migrate.ts")], {
    env: { ...process.env, LIBSQL_URL: `file:${file}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const server = await startLibsqlServer({ file, port: Number(process.env.LAUREL_TEST_LIBSQL_PORT ?? 18080) });
  return async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
