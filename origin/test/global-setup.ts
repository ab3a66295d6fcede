// Origin tests run inside workerd against a real libSQL engine: this starts the local Hrana
// server on a fresh, migrated database file for the test run (port from LAUREL_TEST_LIBSQL_PORT,
// default 18080, the same value vitest.config.ts gives the Worker as LIBSQL_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLibsqlServer } from "../../local/libsql-server/server.ts";
import { migrateDatabase } from "../../local/migrate.ts";

export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-origin-test-"));
  const file = path.join(dir, "test.db");
  await migrateDatabase(`file:${file}`);
  const server = await startLibsqlServer({ file, port: Number(process.env.LAUREL_TEST_LIBSQL_PORT ?? 18080) });
  return async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
