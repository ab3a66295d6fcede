// `npm run drill -- [--cohort=N] [--second-batch=N] [--revocations=N] [--ceremony-seconds=S]
// [--max-concurrency=N] [--drain-seconds=S]`: the drill's knobs, with defaults that fit in about
// 10 minutes on a 2-core machine (docs/operations.md "Graduation-day drill").
export interface DrillOptions {
  /** Recipients of the first batch (the graduating cohort). */
  cohort: number;
  /** Recipients of the batch issued during the ceremony. */
  secondBatch: number;
  /** Credentials revoked during the ceremony. */
  revocations: number;
  /** Length of the ceremony (the scan ramp and the faults, scaled to it). */
  ceremonySeconds: number;
  /** Scans in flight at the top of the ramp. */
  maxConcurrency: number;
  /** Longest wait for the stack to drain before the reconciliation. */
  drainSeconds: number;
}

export const DEFAULT_OPTIONS: DrillOptions = {
  cohort: 2000,
  secondBatch: 300,
  revocations: 40,
  ceremonySeconds: 150,
  maxConcurrency: 24,
  drainSeconds: 240,
};

const LIMITS: Record<keyof DrillOptions, [number, number]> = {
  cohort: [1, 10_000],
  secondBatch: [1, 10_000],
  revocations: [0, 1000],
  ceremonySeconds: [30, 3600],
  maxConcurrency: [1, 256],
  drainSeconds: [10, 3600],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Parses `--name=value` arguments; an unknown or out-of-range one is an error naming it. */
export function parseOptions(args: string[]): DrillOptions {
  const options = { ...DEFAULT_OPTIONS };
  const known = new Map((Object.keys(LIMITS) as (keyof DrillOptions)[]).map((k) => [kebab(k), k]));
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.+)$/.exec(arg);
    const key = match && known.get(match[1]!);
    if (!match || !key) throw new Error(`unknown argument "${arg}"; known: ${[...known.keys()].map((k) => `--${k}=N`).join(" ")}`);
    const value = Number(match[2]);
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${match[1]} must be a whole number from ${min} to ${max}`);
    options[key] = value;
  }
  if (options.revocations > options.cohort) throw new Error("--revocations must not exceed --cohort");
  return options;
}
