// `npm start`: the whole product on one machine. Migrates the database, starts the local libSQL
// server and both Workers in wrangler dev, waits for their /healthz, seeds the demo data, prints
// where everything is, restarts a child that dies (local/supervisor.ts), and stops every child on
// Ctrl-C or SIGTERM.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startChild, waitUntilHealthy } from "./children.ts";
import { readStackConfig, type StackConfig } from "./config.ts";
import { startLocalCrons } from "./cron.ts";
import { migrateDatabase } from "./migrate.ts";
import { assertPortFree } from "./ports.ts";
import { ensurePrivateDir, writeSecretsEnvFile } from "./secrets.ts";
import { seedDemo, type DemoSeed } from "./seed.ts";
import { Supervisor } from "./supervisor.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Not shared/observability's createLogger: that one sends errors to stderr, while the launcher's
// own lines, errors included, belong on stdout with the stack's other JSON lines.
const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ ts: new Date().toISOString(), level, service: "launcher", message, ...fields }));

// wrangler dev with no network lookups (metrics, the request.cf fetch) and no state outside the data folder (XDG_CONFIG_HOME).
function wranglerEnv(config: StackConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    // wrangler would also append every log line to a debug file of its own: costly under load.
    WRANGLER_WRITE_LOGS: "false",
    // wrangler's local explorer and its trace collector, a tail worker that stores every request's
    // spans in a SQLite Durable Object: a sixth of the worker's thread per request in a profile.
    // The stack's own JSON logs and /metrics are what operators read (docs/operations.md).
    X_LOCAL_EXPLORER: "false",
    X_LOCAL_OBSERVABILITY: "false",
    XDG_CONFIG_HOME: path.join(config.dataDir, "xdg"),
    NO_COLOR: "1",
  };
}

/** Each Worker's DevTools inspector listens this far above its port. */
const inspectorPort = (port: number) => port + 1000;

// Plain settings go on the command line (--var); secrets go in a 0600 dotenv file in the data
// folder (--env-file), never on the command line, which every local user can read in /proc.
function wranglerArgs(config: StackConfig, configFile: string, port: number, vars: Record<string, string>, secretsFile?: string): string[] {
  const args = ["dev", "-c", configFile, "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(inspectorPort(port)), "--persist-to", path.join(config.dataDir, "wrangler"));
  args.push("--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (secretsFile) args.push("--env-file", secretsFile);
  return args;
}

async function main() {
  const config = readStackConfig(root);
  const ports: [number, string][] = [
    [config.libsqlPort, "libSQL server, LIBSQL_PORT"],
    [config.mailOutboxPort, "mail outbox, MAIL_OUTBOX_PORT"],
    ...(config.localTracing ? [[config.otlpReceiverPort, "OTLP receiver, OTLP_RECEIVER_PORT"] as [number, string]] : []),
    [config.edgePort, "edge Worker, EDGE_PORT"],
    [config.originPort, "origin Worker, ORIGIN_PORT"],
    [inspectorPort(config.edgePort), "edge Worker inspector, EDGE_PORT + 1000"],
    [inspectorPort(config.originPort), "origin Worker inspector, ORIGIN_PORT + 1000"],
  ];
  for (const [port, user] of ports) await assertPortFree(port, user);

  ensurePrivateDir(config.dataDir);
  const logsDir = path.join(config.dataDir, "logs");
  fs.mkdirSync(logsDir, { recursive: true });
  const started = Date.now();
  await migrateDatabase(`file:${config.databaseFile}`);
  log("info", "database migrated", { operation: "db.migrate", durationMs: Date.now() - started, file: config.databaseFile });

  const node = process.execPath;
  const wrangler = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const originSecrets = path.join(config.dataDir, "origin.secrets.env");
  writeSecretsEnvFile(originSecrets, {
    LIBSQL_AUTH_TOKEN: config.libsqlAuthToken,
    ADMIN_TOKEN: config.adminToken,
    KEY_ENCRYPTION_SECRET: config.keyEncryptionSecret,
    MAIL_OUTBOX_TOKEN: config.mailOutboxToken,
    ...rehearsalSecrets(process.env),
    ...tracingSecrets(config),
  });
  // The edge exports its spans to the same receiver (its token, like the origin's, in a 0600 file).
  const edgeSecrets = config.localTracing ? path.join(config.dataDir, "edge.secrets.env") : undefined;
  if (edgeSecrets) writeSecretsEnvFile(edgeSecrets, tracingSecrets(config));
  const supervisor = new Supervisor(log);
  /** Starts and supervises `node <args>` as child `name`; what it prints that is not a JSON line goes to logs/<name>.log. */
  const run = (name: string, args: string[], env: NodeJS.ProcessEnv) =>
    supervisor.start({ name, start: () => startChild(name, node, args, env, path.join(logsDir, `${name}.log`)) });
  let stopping = false;
  let stopCrons = () => {};
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("info", "stopping", { operation: "stack.stop" });
    stopCrons();
    await supervisor.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  // `npm start` runs us under npm (and a shell), which do not always pass SIGTERM on: when our
  // parent goes away, stop too rather than leave the stack running as orphans.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0), 500).unref();

  try {
    const libsql = run(
      "libsql",
      [path.join(root, "local/libsql-server/main.ts"), "--file", config.databaseFile, "--port", String(config.libsqlPort)],
      { ...process.env, LIBSQL_AUTH_TOKEN: config.libsqlAuthToken },
    );
    await waitUntilHealthy(`${config.libsqlUrl}/health`, libsql, 20_000);

    // Recipient emails go to the local outbox: .eml files under <data dir>/mail, nothing sent anywhere.
    const mailOutbox = run(
      "mail-outbox",
      [path.join(root, "local/mail-outbox/main.ts"), "--dir", config.mailDir, "--port", String(config.mailOutboxPort)],
      { ...process.env, MAIL_OUTBOX_TOKEN: config.mailOutboxToken },
    );
    // Not waited for here: it boots while the Workers do (checked before seeding, below).

    // The Workers' spans go to the local OTLP receiver: JSON lines under <data dir>/traces (/ops/traces reads them).
    const otlpReceiver = config.localTracing
      ? run(
          "otlp-receiver",
          [path.join(root, "local/otlp-receiver/main.ts"), "--dir", config.tracesDir, "--port", String(config.otlpReceiverPort)],
          { ...process.env, OTLP_RECEIVER_TOKEN: config.otlpReceiverToken },
        )
      : null;

    const shared = { PUBLIC_BASE_URL: config.publicBaseUrl };
    const edge = run("edge", [wrangler, ...wranglerArgs(config, path.join(root, "wrangler.toml"), config.edgePort, { ...shared, ...edgeTracingVars(config) }, edgeSecrets)], wranglerEnv(config));
    // One Worker at a time: both persist to the same folder, and two workerd processes opening its
    // SQLite files at once can fail one of them with SQLITE_BUSY (seen in CI).
    await waitUntilHealthy(`${config.edgeUrl}/healthz`, edge);
    const origin = run(
      "origin",
      [
        wrangler,
        ...wranglerArgs(config, path.join(root, "origin/wrangler.toml"), config.originPort, { ...shared, LIBSQL_URL: config.libsqlUrl, ORIGIN_BASE_URL: config.originUrl, ALLOW_LOCAL_HTTP_TARGETS: "true", ...mailVars(config), ...rehearsalVars(process.env), ...tracingVars(config) }, originSecrets),
        // /__scheduled, which the launcher's cron ticks request (local/cron.ts).
        "--test-scheduled",
      ],
      wranglerEnv(config),
    );
    await waitUntilHealthy(`${config.originUrl}/healthz`, origin);

    await waitUntilHealthy(`${config.mailOutboxUrl}/health`, mailOutbox, 20_000);
    if (otlpReceiver) await waitUntilHealthy(`${config.otlpReceiverUrl}/health`, otlpReceiver, 20_000);
    stopCrons = startLocalCrons(config.originUrl, path.join(root, "origin/wrangler.toml"), log);
    const demo: DemoSeed | null = await seedDemo(config);
    supervisor.watch();
    log("info", "ready", {
      operation: "stack.start",
      durationMs: Date.now() - started,
      edge: config.edgeUrl,
      origin: config.originUrl,
      libsql: config.libsqlUrl,
      mailOutbox: config.mailOutboxUrl,
      dataDir: config.dataDir,
      pids: Object.fromEntries(supervisor.current().map((c) => [c.name, c.process.pid])),
      // The console password is printed for the person at the terminal, never logged.
      demo: demo && { ...demo, console: demo.console && { url: demo.console.url, email: demo.console.email } },
    });
    printBanner(config, demo);
  } catch (error) {
    log("error", "the stack did not start", { error: (error as Error).message });
    await stop(1);
  }
}

/** The origin's mail settings under `npm start`: the local outbox (MAIL_OUTBOX_TOKEN goes in the secrets file). */
function mailVars(config: StackConfig): Record<string, string> {
  return { MAIL_TRANSPORT: "outbox", MAIL_OUTBOX_URL: config.mailOutboxUrl, MAIL_FROM: "notifications@laurel.localhost" };
}

/**
 * Origin settings the launcher passes on from its own environment when set there: the drill
 * (scripts/drill) turns on fault injection and points alerts at its own receiver this way.
 */
function rehearsalVars(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = ["FAULT_INJECTION", "ALERT_WEBHOOK_URL"];
  return Object.fromEntries(names.filter((name) => env[name]).map((name) => [name, env[name]!]));
}

/** The same for secrets (they go in the secrets file, never on the command line). */
function rehearsalSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.ALERT_WEBHOOK_SECRET ? { ALERT_WEBHOOK_SECRET: env.ALERT_WEBHOOK_SECRET } : {};
}

/** The origin's tracing settings under `npm start`: spans exported to, and looked up in, the local OTLP receiver. */
function tracingVars(config: StackConfig): Record<string, string> {
  return config.localTracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpReceiverUrl, OTEL_TRACES_QUERY_URL: config.otlpReceiverUrl } : {};
}

/** The edge's: spans exported to the same local receiver (it looks nothing up). */
function edgeTracingVars(config: StackConfig): Record<string, string> {
  return config.localTracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpReceiverUrl } : {};
}

/** Its bearer token, as the OTLP headers setting (a secret: in the 0600 env file, never on the command line). */
function tracingSecrets(config: StackConfig): Record<string, string> {
  return config.localTracing ? { OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(`Bearer ${config.otlpReceiverToken}`)}` } : {};
}

function printBanner(config: StackConfig, demo: DemoSeed | null) {
  const lines = [
    "",
    "Laurel is running.",
    `  edge (public verification)  ${config.edgeUrl}`,
    `  origin (issuer API)         ${config.originUrl}   docs: ${config.originUrl}/docs`,
    `  libSQL server               ${config.libsqlUrl}`,
    `  mail outbox (emails)        ${config.mailOutboxUrl}   files: ${config.mailDir}`,
    ...(config.localTracing ? [`  OTLP receiver (traces)      ${config.otlpReceiverUrl}   files: ${config.tracesDir}   waterfall: ${config.originUrl}/ops/traces`] : []),
    `  data                        ${config.dataDir}`,
    `  admin token                 ${config.adminToken === "laurel-dev-admin" ? "laurel-dev-admin (default)" : "(from ADMIN_TOKEN)"}`,
  ];
  if (demo) {
    lines.push(`  demo API key                ${demo.apiKey}`);
    lines.push(`  demo credential             ${demo.verifyUrl}`);
    if (demo.console) {
      lines.push(`  issuer console              ${demo.console.url}`);
      lines.push(`    sign in as                ${demo.console.email}  password: ${demo.console.password}`);
    } else {
      lines.push("  issuer console              (the demo org predates the console: delete the data folder for a demo owner)");
    }
  }
  lines.push("Press Ctrl-C to stop.", "");
  process.stderr.write(lines.join("\n") + "\n");
}

main().catch((error) => {
  log("error", (error as Error).message, { operation: "stack.start" });
  process.exit(1);
});
