// The gateway's own limit on one integration's LMS requests: at most `perSecond` started per
// second (evenly spaced) and `concurrency` in flight. Hand-written because it is a few lines over
// setTimeout; rate-limit libraries on npm assume Node timers or their own store. Start slots come
// from `reserve` (the integration's row, so the rate holds across steps and overlapping syncs of
// one integration) or, without it, from this pacer alone; the concurrency bound is per step.

/** Reserves the next start slot `intervalMs` after the previous one; answers its time (epoch ms). */
export type SlotReserver = (intervalMs: number) => Promise<number>;

export class Pacer {
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private readonly reserve: SlotReserver;
  private nextStart = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(perSecond: number, concurrency: number, reserve?: SlotReserver) {
    this.intervalMs = 1000 / Math.max(1, perSecond);
    this.concurrency = Math.max(1, concurrency);
    this.reserve =
      reserve ??
      (async (interval) => {
        const start = Math.max(Date.now(), this.nextStart);
        this.nextStart = start + interval;
        return start;
      });
  }

  /** Runs `fn` once a concurrency place and a start slot are free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released place is handed straight to the first waiter, so a newcomer cannot take it between.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      const start = await this.reserve(this.intervalMs);
      const wait = start - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
