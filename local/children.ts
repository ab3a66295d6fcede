// Child processes of the local stack: started in their own process groups so that stopping the
// stack stops every grandchild too (wrangler runs workerd as a child of its own).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts `command`: JSON lines it prints (our structured logs) go to our stdout; everything else
 * (wrangler's banners and access lines) goes to `logFile`, so stdout stays machine-readable.
 */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Child {
  const log = fs.createWriteStream(logFile, { flags: "a" });
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      const trimmed = line.trim();
      if (trimmed.startsWith("{") && trimmed.endsWith("}")) process.stdout.write(trimmed + "\n");
      else log.write(line + "\n");
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  exited.then(() => log.end());
  return { name, process: child, exited };
}

/** Sends `signal` to the child's whole process group (it and whatever it started). */
export function killGroup(child: Child, signal: NodeJS.Signals): void {
  if (!child.process.pid) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops children (SIGTERM to each process group, SIGKILL after `graceMs`) and waits for them. */
export async function stopChildren(children: Child[], graceMs = 5000): Promise<void> {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) killGroup(child, "SIGTERM");
  const timer = setTimeout(() => children.forEach((child) => killGroup(child, "SIGKILL")), graceMs);
  await Promise.all(children.map((child) => child.exited));
  clearTimeout(timer);
  // wrangler may leave workerd behind in the group if it exits first: make sure the group is empty.
  for (const child of children) killGroup(child, "SIGKILL");
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitUntilHealthy(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before answering ${url} (see its log in the data folder's logs/)`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} did not answer 200 on ${url} within ${timeoutMs / 1000} s`);
}
