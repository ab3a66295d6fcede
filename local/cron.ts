// Cron triggers for the local stack. wrangler dev does not fire them (Miniflare dispatches a
// scheduled event only when asked), so the launcher asks: at each minute boundary it requests the
// origin's /__scheduled route (wrangler dev --test-scheduled) for every cron of
// origin/wrangler.toml [triggers] that matches the minute. Without this, locally the publication
// reconciler would never run and a lost publication would stay lost.
import fs from "node:fs";

/** The `crons = [...]` of the [triggers] table of a wrangler.toml. */
export function cronsOf(toml: string): string[] {
  const table = /^\[triggers\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const list = /^crons\s*=\s*\[([^\]]*)\]/m.exec(table)?.[1] ?? "";
  return [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * Whether `cron` fires at `date` (UTC); null for a form it does not know. Only the forms the stack
 * uses: a minute field of every minute, a step (every n minutes) or a number, every other field `*`.
 */
export function firesAt(cron: string, date: Date): boolean | null {
  const [minute, ...rest] = cron.trim().split(/\s+/);
  if (minute === undefined || rest.length !== 4 || rest.some((f) => f !== "*")) return null;
  const m = date.getUTCMinutes();
  if (minute === "*") return true;
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step) return m % Number(step[1]) === 0;
  if (/^\d+$/.test(minute)) return m === Number(minute);
  return null;
}

type Log = (level: string, message: string, fields?: Record<string, unknown>) => void;

/** Fires the origin's crons at each minute boundary until the returned stop function is called. */
export function startLocalCrons(originUrl: string, wranglerToml: string, log: Log): () => void {
  const crons = cronsOf(fs.readFileSync(wranglerToml, "utf8"));
  const unsupported = crons.filter((c) => firesAt(c, new Date(0)) === null);
  if (unsupported.length > 0) log("warn", "cron triggers the launcher cannot schedule locally", { crons: unsupported });
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
    timer.unref();
  };
  const tick = () => {
    const now = new Date();
    for (const cron of crons.filter((c) => firesAt(c, now) === true)) {
      fetch(`${originUrl}/__scheduled?cron=${encodeURIComponent(cron)}`).then(
        (res) => res.body?.cancel(),
        (error: unknown) => log("warn", "local cron trigger failed", { cron, error: String(error) }),
      );
    }
    schedule();
  };
  schedule();
  return () => clearTimeout(timer);
}
