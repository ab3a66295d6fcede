// The gateway's own limit on one integration's LMS requests: at most `perSecond` started per
// second (evenly spaced) and `concurrency` in flight. Hand-written because it is a dozen lines
// over setTimeout, and the rate-limit libraries on npm assume Node timers or a shared store.
// It paces the requests of one sync step; steps of one sync run one after another.

export class Pacer {
  private readonly intervalMs: number;
  private nextStart = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly concurrency: number;

  constructor(perSecond: number, concurrency: number) {
    this.concurrency = Math.max(1, concurrency);
    this.intervalMs = 1000 / Math.max(1, perSecond);
  }

  /** Runs `fn` once a concurrency place and a start slot are free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released place is handed straight to the first waiter, so a newcomer cannot take it between.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      const now = Date.now();
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + this.intervalMs;
      if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
