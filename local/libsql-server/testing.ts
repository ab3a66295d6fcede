// Test support: a server on port 0 over a fresh temp database, clients for it, raw requests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client, type Config } from "@libsql/client/web";
import { startLibsqlServer, type LibsqlServer, type LibsqlServerOptions } from "./server.ts";

export type TestServer = {
  server: LibsqlServer;
  url: string;
  file: string;
  /** A new @libsql/client http client for this server (closed by `stop`). */
  client(config?: Partial<Config>): Client;
  /** POSTs a raw JSON pipeline body (string bodies are sent as is). */
  pipeline(body: unknown, init?: { path?: string; headers?: Record<string, string> }): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
};

export async function startTestServer(options: Partial<LibsqlServerOptions> = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-libsql-test-"));
  const file = path.join(dir, "test.db");
  const server = await startLibsqlServer({ file, port: 0, ...options });
  const clients: Client[] = [];
  return {
    server,
    url: server.url,
    file,
    client(config = {}) {
      const client = createClient({ url: server.url, ...config });
      clients.push(client);
      return client;
    },
    async pipeline(body, init = {}) {
      const response = await fetch(`${server.url}${init.path ?? "/v2/pipeline"}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...init.headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
    async stop() {
      for (const client of clients) client.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Hrana `execute` request for raw pipelines. */
export const exec = (sql: string, args: unknown[] = []) => ({ type: "execute", stmt: { sql, args } });
