// Laurel's local stand-in for Turso: Hrana over HTTP (the protocol @libsql/client/web speaks
// with an http:// URL) serving one SQLite database file through the `libsql` package.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createRequestListener } from "./http.ts";
import { silentLogger, type Logger } from "./log.ts";
import { ConnectionPool, openConnection } from "./connections.ts";
import { StreamRegistry } from "./stream.ts";
import { WriteDetector } from "./write-detect.ts";
import { WriteLock } from "./write-lock.ts";
import { HranaError } from "./errors.ts";

export type LibsqlServerOptions = {
  /** Path of the database file; created (with its directory) if missing. */
  file: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Loopback only: "127.0.0.1" (default), "::1" or "localhost". */
  host?: string;
  /** When set, pipeline requests need `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** Idle time after which a stream is rolled back and closed (default 10 s, as sqld). */
  streamIdleTimeoutMs?: number;
  /** How long a writer waits for another stream's transaction (default 15 s), then SQLITE_BUSY. */
  lockTimeoutMs?: number;
  /** Largest accepted request body (default 10 MB). */
  maxBodyBytes?: number;
  log?: Logger;
  /** Log every request ("all", the default) or only slow and failed ones ("slow"; see http.ts). */
  logRequests?: "all" | "slow";
};

export type LibsqlServer = {
  /** Base URL for `createClient({ url })`, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  close(): Promise<void>;
};

const LOOPBACK: Record<string, string> = { "127.0.0.1": "127.0.0.1", localhost: "127.0.0.1", "::1": "::1" };

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") {
        const clear = new Error(
          `libsql server: port ${port} on ${host} is already in use (EADDRINUSE). ` +
            "Is another server (perhaps another libsql server) running? Stop it or choose another port.",
        );
        Object.assign(clear, { code: "EADDRINUSE", cause: err });
        reject(clear);
      } else {
        reject(err);
      }
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

/** Starts the server; resolves once it accepts connections. */
export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = LOOPBACK[options.host ?? "127.0.0.1"];
  if (host === undefined) {
    throw new Error(`libsql server: refusing to bind ${options.host}; it serves the loopback interface only`);
  }
  const log = options.log ?? silentLogger;
  const file = path.resolve(options.file);
  fs.mkdirSync(path.dirname(file), { recursive: true });

  // Held for the server's lifetime: sets WAL (readers never wait for the writer) and keeps the
  // WAL index alive between streams.
  const main = openConnection(file);
  const mode = main.prepare("PRAGMA journal_mode = WAL").raw(true).all() as unknown[][];
  if (mode[0]?.[0] !== "wal") {
    main.close();
    throw new Error(`libsql server: could not switch ${file} to WAL mode (got ${String(mode[0]?.[0])})`);
  }

  const lock = new WriteLock();
  const pool = new ConnectionPool(file);
  const registry = new StreamRegistry({
    pool,
    lock,
    idleMs: options.streamIdleTimeoutMs ?? 10_000,
    onExpire: (stream, rolledBack) => log({ level: "warn", operation: "stream.expire", stream: stream.id, rolledBack }),
  });
  const server = http.createServer(
    createRequestListener({
      registry,
      lock,
      writes: new WriteDetector(),
      lockTimeoutMs: options.lockTimeoutMs ?? 15_000,
      authToken: options.authToken,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
      log,
      logRequests: options.logRequests ?? "all",
    }),
  );
  // Idle keep-alive connections are closed by the CLIENT, never by us. With a server-side idle
  // timeout (it was 5 s), a client that reuses a pooled connection just as the timeout fires
  // sends its request into a closing socket: workerd reports "Network connection lost", drizzle
  // "Failed query: ...", and the API answered 500 (seen under load whenever the origin isolate
  // stalled for seconds, leaving its connections idle). Loopback only, so nothing to shed.
  server.keepAliveTimeout = 0;

  try {
    await listen(server, options.port, host);
  } catch (err) {
    main.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }).then(() => {
      lock.failAll(new HranaError("SQLITE_BUSY", "The server is shutting down"));
      registry.closeAll();
      pool.closeAll();
      main.close();
    });
    return closing;
  };
  return { url, port, close };
}
