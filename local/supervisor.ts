// Keeps the local stack's children running: a child that dies (the libSQL server, either Worker)
// is logged and restarted with backoff while the others keep serving. Only `stop()` (Ctrl-C,
// SIGTERM) ends them for good.
import { killGroup, stopChildren, type Child } from "./children.ts";

export interface ChildSpec {
  name: string;
  /** Spawns a fresh process of this child. */
  start(): Child;
}

export type LaunchLog = (level: string, message: string, fields?: Record<string, unknown>) => void;

export interface SupervisorOptions {
  /** First restart delay; doubled after every quick death, up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before dying is restarted after `minBackoffMs` again. */
  stableMs?: number;
}

interface Supervised {
  spec: ChildSpec;
  child: Child;
  startedAt: number;
  failures: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly entries = new Map<string, Supervised>();
  private stopping = false;
  private watching = false;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly stableMs: number;
  private readonly log: LaunchLog;

  constructor(log: LaunchLog, options: SupervisorOptions = {}) {
    this.log = log;
    this.minBackoffMs = options.minBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.stableMs = options.stableMs ?? 60_000;
  }

  /** Starts a child (not yet restarted when it dies: see `watch`). */
  start(spec: ChildSpec): Child {
    const child = spec.start();
    this.entries.set(spec.name, { spec, child, startedAt: Date.now(), failures: 0 });
    this.log("info", "child started", { operation: "child.start", child: spec.name, pid: child.process.pid });
    child.exited.then(() => this.onExit(spec.name, child));
    return child;
  }

  /**
   * From now on a child that dies is restarted. Called once the stack is ready: a child that dies
   * while the stack starts fails the start instead (the error is usually in the setup).
   */
  watch(): void {
    this.watching = true;
  }

  /** The current process of each child, by name. */
  current(): Child[] {
    return [...this.entries.values()].map((e) => e.child);
  }

  /** Stops every child for good and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    await stopChildren(this.current());
  }

  private onExit(name: string, child: Child): void {
    const entry = this.entries.get(name);
    if (!entry || entry.child !== child || this.stopping || !this.watching) return;
    // wrangler runs workerd as its own child: clear the whole group so the port is free again.
    killGroup(child, "SIGKILL");
    entry.failures = Date.now() - entry.startedAt >= this.stableMs ? 1 : entry.failures + 1;
    const delayMs = Math.min(this.minBackoffMs * 2 ** (entry.failures - 1), this.maxBackoffMs);
    this.log("error", `${name} exited unexpectedly; restarting it`, {
      operation: "child.restart",
      child: name,
      pid: child.process.pid,
      exitCode: child.process.exitCode,
      signal: child.process.signalCode,
      delayMs,
      restarts: entry.failures,
    });
    entry.timer = setTimeout(() => {
      if (this.stopping) return;
      const next = entry.spec.start();
      Object.assign(entry, { child: next, startedAt: Date.now(), timer: undefined });
      this.log("info", "child restarted", { operation: "child.start", child: name, pid: next.process.pid, restarts: entry.failures });
      next.exited.then(() => this.onExit(name, next));
    }, delayMs);
  }
}
