// The server as a process: loopback only, a clear failure when the port is taken, JSON logs,
// configuration from flags and environment, clean shutdown on SIGTERM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@libsql/client/web";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { startLibsqlServer, type LibsqlServer } from "./server.ts";

const main = path.join(import.meta.dirname, "main.ts");
const TOKEN = "main-test-token";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-libsql-main-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(port = 0): Promise<LibsqlServer> {
  const server = await startLibsqlServer({ file: path.join(tempDir(), "db.sqlite"), port });
  cleanups.push(() => server.close());
  return server;
}

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, LIBSQL_AUTH_TOKEN: TOKEN, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  const logs: Array<Record<string, unknown>> = [];
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const logged = async (predicate: (entry: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = logs.find(predicate);
      if (found) return found;
      await once(lines, "line");
    }
  };
  return { child, exited, logs, logged, stderr: () => stderr };
}

describe("network exposure", () => {
  it("listens on 127.0.0.1 only", async () => {
    const server = await serve();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === "IPv4" && !i.internal);
    if (external === undefined) return; // no other interface to probe on this machine
    const socket = net.connect(server.port, external.address);
    const [error] = (await once(socket, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ECONNREFUSED");
  });

  it("refuses to bind a non-loopback address", async () => {
    await expect(startLibsqlServer({ file: path.join(tempDir(), "db.sqlite"), port: 0, host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });

  it("fails with a clear EADDRINUSE error when the port is taken", async () => {
    const first = await serve();
    const error = await startLibsqlServer({ file: path.join(tempDir(), "db.sqlite"), port: first.port }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "EADDRINUSE", message: expect.stringContaining(`port ${first.port} on 127.0.0.1 is already in use`) });
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });
});

describe("main.ts", () => {
  it("exits 1 with a readable message and a JSON error line when the port is taken", async () => {
    const taken = await serve();
    const proc = run(["--file", path.join(tempDir(), "x.db"), "--port", String(taken.port)]);
    expect(await proc.exited).toEqual([1, null]);
    expect(proc.stderr()).toContain("already in use (EADDRINUSE)");
    expect(proc.logs).toContainEqual(expect.objectContaining({ level: "error", service: "libsql", operation: "start", code: "EADDRINUSE" }));
  });

  it("serves LAUREL_DATA_DIR/laurel.db on LIBSQL_PORT, logs JSON lines, and rolls back on SIGTERM", async () => {
    const dir = tempDir();
    const proc = run([], { LAUREL_DATA_DIR: dir, LIBSQL_PORT: "0", LIBSQL_LOG_REQUESTS: "all" });
    const started = await proc.logged((e) => e.operation === "start");
    expect(started).toMatchObject({ level: "info", service: "libsql", status: "listening", file: path.join(dir, "laurel.db") });
    const url = started.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = createClient({ url, authToken: TOKEN });
    cleanups.push(() => client.close());
    await client.execute("CREATE TABLE t (v TEXT)");
    await client.execute({ sql: "INSERT INTO t VALUES (?)", args: ["committed"] });
    // Bound values (emails, JWTs) never reach the request log, even when it logs every request.
    await expect(client.execute({ sql: "INSERT INTO t (v, w) VALUES (?, ?)", args: ["ada@example.edu", "eyJ.secret.jwt"] })).rejects.toThrow();
    const tx = await client.transaction("write");
    await tx.execute("INSERT INTO t VALUES ('open at shutdown')");

    const line = await proc.logged((e) => e.operation === "pipeline");
    expect(line).toEqual(
      expect.objectContaining({ ts: expect.any(String), level: "info", service: "libsql", status: 200, durationMs: expect.any(Number), requestId: expect.any(String) }),
    );

    proc.child.kill("SIGTERM");
    expect(await proc.exited).toEqual([0, null]);
    expect(proc.logs.at(-1)).toMatchObject({ operation: "stop", status: "stopped", signal: "SIGTERM" });
    const logText = JSON.stringify(proc.logs);
    expect(logText).toContain('"errors"'); // the failed insert was logged...
    expect(logText).not.toContain("ada@example.edu"); // ...without its arguments
    expect(logText).not.toContain("eyJ.secret.jwt");
    expect(logText).not.toContain(TOKEN);

    const db = new Database(path.join(dir, "laurel.db"));
    cleanups.push(() => void db.close());
    expect(db.prepare("SELECT v FROM t").raw(true).all([])).toEqual([["committed"]]);
  });

  it("by default logs failed requests (and slow ones), not every successful one", async () => {
    const proc = run(["--file", path.join(tempDir(), "quiet.db"), "--port", "0"]);
    const started = await proc.logged((e) => e.operation === "start");
    const client = createClient({ url: started.url as string, authToken: TOKEN });
    cleanups.push(() => client.close());
    await client.execute("SELECT 1");
    expect((await fetch(`${started.url as string}/no-such-route`)).status).toBe(404);
    expect(await proc.logged((e) => e.status === 404)).toMatchObject({ level: "warn", operation: "not_found" });
    expect(proc.logs.filter((e) => e.operation === "pipeline")).toEqual([]);
    proc.child.kill("SIGTERM");
    await proc.exited;
  });

  it("refuses to start without LIBSQL_AUTH_TOKEN", async () => {
    const proc = run(["--file", path.join(tempDir(), "x.db"), "--port", "0"], { LIBSQL_AUTH_TOKEN: "" });
    expect(await proc.exited).toEqual([1, null]);
    expect(proc.stderr()).toContain("set LIBSQL_AUTH_TOKEN");
  });

  it("rejects an invalid port", async () => {
    const proc = run(["--file", path.join(tempDir(), "x.db"), "--port", "eighty"]);
    expect(await proc.exited).toEqual([1, null]);
    expect(proc.stderr()).toContain("invalid port");
  });
});
