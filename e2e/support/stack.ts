// Starts the real local stack (`node local/start.ts`, exactly what `npm start` runs) on free
// ports with a temporary data folder, for end-to-end tests and benchmarks. The stack's processes
// are known by process group: the launcher's own (it is started as a group leader) and one per
// child it started (it logs their PIDs; each child leads its group, workerd included). Whatever
// happens, `stop`/`dispose` leave none of them running.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunningStack {
  edgeUrl: string;
  originUrl: string;
  libsqlUrl: string;
  /** The local mail outbox (its .eml files are under `<dataDir>/mail`). */
  mailOutboxUrl: string;
  /** The local OTLP receiver (its span files are under `<dataDir>/traces`). */
  otlpReceiverUrl: string;
  dataDir: string;
  adminToken: string;
  /** The launcher's "ready" log line (includes the demo seed when there is one). */
  ready: Record<string, any>;
  /** Every JSON line the stack printed on stdout so far. */
  lines: Record<string, any>[];
  /** Non-JSON stdout lines (there should be none). */
  otherLines: string[];
  process: ChildProcess;
  /** The PID the launcher last logged for a child ("libsql", "edge", "origin"). */
  childPid(name: string): number | undefined;
  /** Live processes of the stack (`pid pgid args` lines), found by process group. */
  processes(): string[];
  /**
   * Stops the stack and returns the launcher's exit code: SIGTERM to the launcher by default, or
   * `"ctrl-c"`: SIGINT to its whole process group, as a terminal does on Ctrl-C. Anything still
   * running after the grace period is killed (SIGKILL to every group of the stack).
   */
  stop(how?: "sigterm" | "ctrl-c"): Promise<number | null>;
  /** `stop()`, then removes the data folder if `startStack` made it. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Every live process whose process group is one of `groups`, as `pid pgid args` lines. */
export function processesInGroups(groups: Iterable<number>): string[] {
  const wanted = new Set(groups);
  if (wanted.size === 0) return [];
  const out = execFileSync("ps", ["-eo", "pid=,pgid=,stat=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && wanted.has(Number(f[1])) && !f[2]!.startsWith("Z"))
    .map((f) => [f[0], f[1], ...f.slice(3)].join(" "));
}

function killGroups(groups: Iterable<number>, signal: NodeJS.Signals): void {
  for (const group of groups) {
    try {
      process.kill(-group, signal);
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Ports P, P+1, P+2, P+3 (edge, origin, libSQL, mail outbox) with P+1000 and P+1001 (inspectors) all free. */
export async function findFreePorts(): Promise<{ edge: number; origin: number; libsql: number; mail: number; otlp: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const all = [base, base + 1, base + 2, base + 3, base + 4, base + 1000, base + 1001];
    if ((await Promise.all(all.map(isFree))).every(Boolean)) return { edge: base, origin: base + 1, libsql: base + 2, mail: base + 3, otlp: base + 4 };
  }
  throw new Error("no free ports found");
}

/** The environment that points the launcher at `ports` and `dataDir`. */
export function stackEnv(ports: { edge: number; origin: number; libsql: number; mail?: number; otlp?: number }, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    EDGE_PORT: String(ports.edge),
    ORIGIN_PORT: String(ports.origin),
    LIBSQL_PORT: String(ports.libsql),
    ...(ports.mail ? { MAIL_OUTBOX_PORT: String(ports.mail) } : {}),
    ...(ports.otlp ? { OTLP_RECEIVER_PORT: String(ports.otlp) } : {}),
    LAUREL_DATA_DIR: dataDir,
  };
}

/** Starts the stack and resolves once it logs "ready"; rejects with its output if it exits first. */
export async function startStack(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /**
     * Keep parsing stdout into `lines` after "ready" (default true). Benchmarks pass false: the
     * stack's per-request log lines are then drained unparsed instead of costing the load client CPU.
     */
    collectLines?: boolean;
    /** Start through `npm start` (exactly the README's command) instead of the launcher directly. */
    viaNpm?: boolean;
  } = {},
): Promise<RunningStack> {
  const ports = await findFreePorts();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "laurel-e2e-"));
  const adminToken = "laurel-dev-admin";
  // `viaNpm`: exactly the README's `npm start`, to check signals reach the stack through npm.
  const [command, args] = options.viaNpm ? ["npm", ["start", "--silent"]] : [process.execPath, [path.join(root, "local/start.ts")]];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...stackEnv(ports, dataDir), ADMIN_TOKEN: adminToken, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, like a shell job, so Ctrl-C can be simulated
  });
  const lines: Record<string, any>[] = [];
  const otherLines: string[] = [];
  // Process groups of the stack: the launcher's, and each child's as the launcher logs it.
  const groups = new Set<number>([child.pid!]);
  const childPids = new Map<string, number>();
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  let stopped: Promise<number | null> | undefined;
  const stop = (how: "sigterm" | "ctrl-c" = "sigterm"): Promise<number | null> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (how === "ctrl-c") killGroups([child.pid!], "SIGINT");
        else child.kill("SIGTERM");
      }
      const code = await Promise.race([exited, sleep(30_000).then(() => "timeout" as const)]);
      // The launcher stops its children itself; give it a moment (npm may exit before it is done),
      // then make sure: SIGKILL to every group of the stack.
      for (let i = 0; i < 40 && processesInGroups(groups).length > 0; i++) await sleep(250);
      killGroups(groups, "SIGKILL");
      return code === "timeout" ? await exited : code;
    })());
  let disposed = false;
  const dispose = async () => {
    await stop();
    if (ownDataDir && !disposed) fs.rmSync(dataDir, { recursive: true, force: true });
    disposed = true;
  };

  const ready = await new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not ready in time\n${stderr}`)), options.timeoutMs ?? 90_000);
    const reader = readline.createInterface({ input: child.stdout! });
    let collecting = true;
    reader.on("line", (line) => {
      if (!collecting && !line.includes('"launcher"')) return; // cheap: benchmarks skip parsing
      let parsed: Record<string, any>;
      try {
        parsed = JSON.parse(line);
      } catch {
        otherLines.push(line);
        return;
      }
      if (parsed.service === "launcher" && parsed.operation === "child.start" && typeof parsed.pid === "number") {
        groups.add(parsed.pid);
        childPids.set(parsed.child, parsed.pid);
      }
      if (!collecting) return;
      lines.push(parsed);
      if (parsed.service === "launcher" && parsed.message === "ready") {
        clearTimeout(timer);
        // Benchmarks: the stack's per-request lines are no longer kept (only launcher lines are read).
        if (options.collectLines === false) collecting = false;
        resolve(parsed);
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited (${code}) before ready\n${stderr}\n${lines.map((l) => JSON.stringify(l)).join("\n")}`));
    });
  }).catch(async (error: unknown) => {
    // A stack that did not start must not keep running (or keep its temporary folder).
    await dispose();
    throw error;
  });

  return {
    edgeUrl: `http://127.0.0.1:${ports.edge}`,
    originUrl: `http://127.0.0.1:${ports.origin}`,
    libsqlUrl: `http://127.0.0.1:${ports.libsql}`,
    mailOutboxUrl: `http://127.0.0.1:${ports.mail}`,
    otlpReceiverUrl: `http://127.0.0.1:${ports.otlp}`,
    dataDir,
    adminToken,
    ready,
    lines,
    otherLines,
    process: child,
    childPid: (name) => childPids.get(name),
    processes: () => processesInGroups(groups),
    stop,
    dispose,
  };
}
