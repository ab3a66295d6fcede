// Fault injection for rehearsals (the graduation-day drill, scripts/drill): an operator makes the
// consumers of one queue throw until a given time, to watch retries, alerts and recovery on a real
// stack. It exists only where the setting FAULT_INJECTION is "true" (the drill sets it for its own
// local stack; off by default, never in production): otherwise the routes answer 404 as if absent
// and consumers never fail on purpose.
//
// The state is this isolate's memory, not the database or KV: a fault must not depend on the
// components being faulted, and it ends by itself (at most FAULT_MAX_SECONDS) if the isolate goes.
// Locally one origin isolate serves both these routes and the queue consumers.
import type { Hono, MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import { AppError } from "../../shared/http/problem.ts";
import type { OriginEnv, OriginHono } from "../env.ts";
import { originSetting } from "../env.ts";
import { QUEUES } from "../queues/jobs.ts";
import { fieldErrors, validationFailed } from "../validation.ts";

/** Longest fault one call may inject: a forgotten fault ends on its own. */
export const FAULT_MAX_SECONDS = 600;

/** The queues whose consumers check for a fault (origin/queues/jobs.consumer.ts, webhooks.consumer.ts). */
const FAULTABLE_QUEUES: readonly string[] = [QUEUES.jobs, QUEUES.batches, QUEUES.notifications, QUEUES.webhooks, QUEUES.proofs];

/** Queue name → epoch ms until which its consumers throw. */
const failingUntil = new Map<string, number>();

/** The error an injected fault throws: its message says so, so no one hunts for a real bug. */
export class InjectedFault extends Error {
  override readonly name = "InjectedFault";
}

function enabled(env: Pick<OriginEnv, "FAULT_INJECTION">): boolean {
  return originSetting(env, "FAULT_INJECTION");
}

/**
 * Called by a queue consumer before it handles a message: throws InjectedFault while a fault is
 * injected for `queue` (and FAULT_INJECTION is on), so the consumer's own retry path runs.
 */
export function throwIfFaultInjected(env: Pick<OriginEnv, "FAULT_INJECTION">, queue: string, now = Date.now()): void {
  if (failingUntil.size === 0 || !enabled(env)) return;
  const until = failingUntil.get(queue);
  if (until === undefined) return;
  if (now >= until) {
    failingUntil.delete(queue);
    return;
  }
  throw new InjectedFault(`fault injected on ${queue} until ${new Date(until).toISOString()} (FAULT_INJECTION)`);
}

const injectBody = z.object({
  seconds: z.number().check(z.int({ error: "must be a whole number" }), z.gte(1, { error: "must be at least 1" }), z.lte(FAULT_MAX_SECONDS, { error: `must be at most ${FAULT_MAX_SECONDS}` })),
});

function faultsView(now = Date.now()) {
  return {
    queues: [...failingUntil].filter(([, until]) => until > now).map(([queue, until]) => ({ queue, failingUntil: new Date(until).toISOString() })),
  };
}

/**
 * `GET /ops/faults`, `PUT /ops/faults/queues/:queue {seconds}` (its consumers throw for that long),
 * `DELETE /ops/faults/queues/:queue` (ends it now). docs/operations.md "Graduation-day drill".
 */
export function registerFaultInjection(ops: Hono<OriginHono>): void {
  const onlyWhenEnabled: MiddlewareHandler<OriginHono> = async (c, next) => {
    if (!enabled(c.env)) throw new AppError(404, "NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
    c.var.rc.operation = "ops.faults";
    await next();
  };
  ops.use("/faults", onlyWhenEnabled);
  ops.use("/faults/*", onlyWhenEnabled);
  ops.get("/faults", (c) => c.json(faultsView()));
  ops.put("/faults/queues/:queue", async (c) => {
    const queue = c.req.param("queue");
    if (!FAULTABLE_QUEUES.includes(queue)) {
      throw validationFailed("path", [{ field: "queue", rule: "enum", detail: `must be one of ${FAULTABLE_QUEUES.join(", ")}` }]);
    }
    const raw = await c.req.json().catch(() => undefined);
    const parsed = z.safeParse(injectBody, raw);
    if (!parsed.success) throw validationFailed("body", fieldErrors(parsed.error.issues as never));
    const until = Date.now() + parsed.data.seconds * 1000;
    failingUntil.set(queue, until);
    return c.json({ queue, failingUntil: new Date(until).toISOString() });
  });
  ops.delete("/faults/queues/:queue", (c) => {
    failingUntil.delete(c.req.param("queue"));
    return c.body(null, 204);
  });
}
