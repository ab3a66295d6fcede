// Enqueues notification.send for credentials that have just been published (the publication
// consumer and the batch consumer call it), and, every minute, for pending notifications whose job
// was lost (the sweep). Never fails its caller: the notifications table is the record, the queue
// only the fast path. They go on laurel-notifications, not laurel-jobs: a 10,000-row batch's
// notices queued ahead of publication jobs held up the publication of credentials issued after it.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { enqueueOn } from "../jobs/enqueue.ts";
import { dueNotifications, pendingNotifications } from "./store.ts";

/** Enqueues the pending notifications of these (published) credentials. */
export async function enqueuePendingNotifications(env: OriginEnv, credentialIds: readonly string[], requestId: string, log: Logger): Promise<number> {
  if (credentialIds.length === 0) return 0;
  try {
    const pending = await pendingNotifications(database(env), credentialIds);
    await enqueueOn(env.NOTIFICATIONS, pending.map((p) => ({ type: "notification.send" as const, ...p, requestId })));
    return pending.length;
  } catch (error) {
    log.warn("could not enqueue notifications; the sweep will", { error });
    return 0;
  }
}

/** Rows the sweep enqueues per run. */
const SWEEP_LIMIT = 500;

/** The scheduled sweep: enqueues due notifications of published credentials. */
export async function sweepNotifications(env: OriginEnv, requestId: string): Promise<number> {
  const due = await dueNotifications(database(env), Date.now(), SWEEP_LIMIT);
  await enqueueOn(env.NOTIFICATIONS, due.map((d) => ({ type: "notification.send" as const, ...d, requestId })));
  return due.length;
}
