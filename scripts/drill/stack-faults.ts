// The faults the drill injects into its own local stack, each for a bounded time, each recorded
// with when it started and ended. Processes are found by the PIDs the launcher logs on
// `child.start` (e2e/support/stack.ts `childPid`); each child leads its own process group, so a
// signal to the group reaches wrangler's workerd too.
//
// The origin is stopped with SIGSTOP/SIGCONT rather than killed and restarted by the supervisor:
// locally the queues live in the origin's workerd memory, so killing it would drop messages in
// flight (publication jobs, webhook lanes), which production Queues never do; a frozen process is
// the production-like outage (unreachable, state intact), and it takes 10 s, not a cold start.
import type { RunningStack } from "../../e2e/support/stack.ts";
import type { DrillReceiver } from "./receiver.ts";

export interface FaultRecord {
  fault: string;
  detail: string;
  /** Seconds since the ceremony started. */
  startedAt: number;
  endedAt?: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Groups currently frozen, so a drill that fails midway still thaws them (`thawAll`). */
const frozen = new Set<number>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  process.kill(-pid, signal);
  if (signal === "SIGSTOP") frozen.add(pid);
  if (signal === "SIGCONT") frozen.delete(pid);
}

/** SIGCONT to every group the drill froze: called on any exit path. */
export function thawAll(): void {
  for (const pid of frozen) {
    try {
      process.kill(-pid, "SIGCONT");
    } catch {
      // Gone already.
    }
  }
  frozen.clear();
}

export class FaultInjector {
  readonly timeline: FaultRecord[] = [];

  private readonly stack: RunningStack;
  private readonly receiver: DrillReceiver;
  private readonly startedAt: number;

  constructor(stack: RunningStack, receiver: DrillReceiver, startedAt: number) {
    this.stack = stack;
    this.receiver = receiver;
    this.startedAt = startedAt;
  }

  private now(): number {
    return Math.round((Date.now() - this.startedAt) / 100) / 10;
  }

  private async during(fault: string, detail: string, begin: () => Promise<void> | void, seconds: number, end: () => Promise<void> | void): Promise<void> {
    const record: FaultRecord = { fault, detail, startedAt: this.now() };
    this.timeline.push(record);
    console.log(`[drill ${new Date().toISOString().slice(11, 19)}] fault: ${fault} (${detail})`);
    try {
      await begin();
    } catch (error) {
      record.error = String(error);
      record.endedAt = this.now();
      return;
    }
    await sleep(seconds * 1000);
    try {
      await end();
    } catch (error) {
      record.error = String(error);
    }
    record.endedAt = this.now();
  }

  /** Freezes a child's whole process group for `seconds`. */
  freeze(child: "libsql" | "origin", seconds: number): Promise<void> {
    const pid = this.stack.childPid(child);
    const name = child === "libsql" ? "libSQL server paused" : "origin stopped";
    if (!pid) {
      this.timeline.push({ fault: name, detail: "no PID logged for it", startedAt: this.now(), endedAt: this.now(), error: "not injected" });
      return Promise.resolve();
    }
    return this.during(name, `SIGSTOP to process group ${pid} (${child}) for ${seconds} s, then SIGCONT`, () => signalGroup(pid, "SIGSTOP"), seconds, () => signalGroup(pid, "SIGCONT"));
  }

  /** Makes the origin's consumers of `queue` throw for `seconds` (the FAULT_INJECTION hook). */
  failQueue(queue: string, seconds: number): Promise<void> {
    const call = async (method: "PUT" | "DELETE") => {
      const res = await fetch(`${this.stack.originUrl}/ops/faults/queues/${queue}`, {
        method,
        headers: { authorization: `Bearer ${this.stack.adminToken}`, "content-type": "application/json" },
        body: method === "PUT" ? JSON.stringify({ seconds }) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`${method} /ops/faults/queues/${queue} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    };
    // The fault ends by itself after `seconds`; the DELETE only makes the end explicit.
    return this.during("queue consumer throwing", `${queue} consumers throw for ${seconds} s (PUT /ops/faults/queues/${queue})`, () => call("PUT"), seconds, () => call("DELETE"));
  }

  /** The webhook receiver answers 503 for `seconds`. */
  receiverDown(seconds: number): Promise<void> {
    return this.during("webhook receiver down", `the receiver answers 503 for ${seconds} s`, () => this.receiver.setDown(true), seconds, () => this.receiver.setDown(false));
  }
}
