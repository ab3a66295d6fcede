// CLI: npx node local/libsql-server/main.ts [--file .data/laurel.db] [--port 8080]
// Environment: LIBSQL_AUTH_TOKEN (required: the bearer token every pipeline must carry; never a
// flag, since a process's command line is readable by every local user), LIBSQL_PORT (port),
// LAUREL_DATA_DIR (the file is <dir>/laurel.db), LIBSQL_LOG_REQUESTS=all (log every request, not
// only slow and failed ones). Flags win over the environment.
// Logs JSON lines on stdout; exits 1 with a readable message if it cannot start.
import path from "node:path";
import { parseArgs } from "node:util";
import { jsonLineLogger } from "./log.ts";
import { startLibsqlServer } from "./server.ts";

const log = jsonLineLogger();

function fail(message: string, fields: Record<string, unknown> = {}): void {
  log({ level: "error", operation: "start", status: "failed", message, ...fields });
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { file: { type: "string" }, port: { type: "string" } }, strict: true }));
  } catch (err) {
    fail(`libsql server: ${(err as Error).message}. Usage: main.ts [--file <path>] [--port <n>]`);
    return;
  }
  const file = values.file ?? path.join(process.env.LAUREL_DATA_DIR || ".data", "laurel.db");
  const portText = values.port ?? process.env.LIBSQL_PORT ?? "8080";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    fail(`libsql server: invalid port ${JSON.stringify(portText)}`);
    return;
  }

  const authToken = process.env.LIBSQL_AUTH_TOKEN;
  if (!authToken) {
    fail("libsql server: set LIBSQL_AUTH_TOKEN (the bearer token clients must send); `npm start` makes one per data folder");
    return;
  }

  const started = performance.now();
  let server;
  try {
    // Every request logged only on demand: a line per database call was ~7% of this
    // process's CPU (and of the launcher's, which forwards it) under load.
    const logRequests = process.env.LIBSQL_LOG_REQUESTS === "all" ? "all" : "slow";
    server = await startLibsqlServer({ file, port, authToken, log, logRequests });
  } catch (err) {
    fail((err as Error).message, { code: (err as { code?: unknown }).code });
    return;
  }
  log({
    level: "info",
    operation: "start",
    status: "listening",
    url: server.url,
    file: path.resolve(file),
    auth: "bearer",
    durationMs: Math.round(performance.now() - started),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(1); // second signal: do not wait
    }
    stopping = true;
    const begun = performance.now();
    server.close().then(
      () => log({ level: "info", operation: "stop", status: "stopped", signal, durationMs: Math.round(performance.now() - begun) }),
      (err: unknown) => {
        log({ level: "error", operation: "stop", status: "failed", signal, message: String(err) });
        process.exitCode = 1;
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
