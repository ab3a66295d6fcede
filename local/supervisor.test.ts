// The launcher's supervisor with real child processes: a child that dies is restarted (with a
// new PID, after a backoff) while the others keep running; stop() ends them all for good.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startChild } from "./children.ts";
import { Supervisor } from "./supervisor.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-supervisor-"));
const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
let supervisor: Supervisor | undefined;

afterEach(async () => {
  await supervisor?.stop();
  logs.length = 0;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number | undefined) => pid !== undefined && spawnSync("kill", ["-0", String(pid)]).status === 0;

function sleeper(name: string) {
  // A child that runs until killed.
  return { name, start: () => startChild(name, process.execPath, ["-e", "setInterval(() => {}, 1000)"], process.env, path.join(dir, `${name}.log`)) };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Supervisor", () => {
  it("restarts a child that dies, logging its old and new PID; the others keep running", async () => {
    supervisor = new Supervisor((level, message, fields) => logs.push({ level, message, fields }), { minBackoffMs: 100 });
    const a = supervisor.start(sleeper("a"));
    const b = supervisor.start(sleeper("b"));
    supervisor.watch();
    process.kill(a.process.pid!, "SIGKILL");
    const restarted = await until(() => logs.find((l) => l.message === "child restarted" && l.fields?.child === "a"));
    expect(logs.find((l) => l.fields?.operation === "child.restart")).toMatchObject({
      level: "error",
      fields: { child: "a", pid: a.process.pid, signal: "SIGKILL", restarts: 1 },
    });
    const newPid = restarted.fields!.pid as number;
    expect(newPid).not.toBe(a.process.pid);
    expect(alive(newPid)).toBe(true);
    expect(alive(b.process.pid)).toBe(true);
    expect(supervisor.current().map((c) => c.process.pid)).toEqual([newPid, b.process.pid]);
  });

  it("backs off when a child keeps dying quickly", async () => {
    supervisor = new Supervisor((level, message, fields) => logs.push({ level, message, fields }), { minBackoffMs: 100 });
    const first = supervisor.start(sleeper("flaky"));
    supervisor.watch();
    process.kill(first.process.pid!, "SIGKILL");
    const second = await until(() => logs.find((l) => l.message === "child restarted"));
    process.kill(second.fields!.pid as number, "SIGKILL");
    await until(() => logs.filter((l) => l.message === "child restarted").length === 2 || undefined);
    const delays = logs.filter((l) => l.fields?.operation === "child.restart").map((l) => l.fields!.delayMs);
    expect(delays).toEqual([100, 200]);
  });

  it("does not restart before watch() (a child dying while the stack starts fails the start), nor after stop()", async () => {
    supervisor = new Supervisor((level, message, fields) => logs.push({ level, message, fields }), { minBackoffMs: 50 });
    const early = supervisor.start(sleeper("early"));
    process.kill(early.process.pid!, "SIGKILL");
    await early.exited;
    supervisor.watch();
    const later = supervisor.start(sleeper("later"));
    await supervisor.stop();
    await later.exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(logs.filter((l) => l.fields?.operation === "child.restart")).toEqual([]);
    expect(alive(later.process.pid)).toBe(false);
  });
});
