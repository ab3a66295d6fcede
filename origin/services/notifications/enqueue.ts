// Enqueues notification.send for credentials that have just been published (the publication
// consumer and the batch consumer call it), and, every minute, for pending notifications whose job
// was lost (the sweep). Never fails its caller: the notifications table is the record, the queue
// only the fast path.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { dueNotifications, pendingNotifications } from "./store.ts";

/** Enqueues the pending notifications of these (published) credentials. */
export async function enqueuePendingNotifications(env: OriginEnv, credentialIds: readonly string[], requestId: string, log: Logger): Promise<number> {
  if (credentialIds.length === 0) return 0;
  try {
    const pending = await pendingNotifications(database(env), credentialIds);
    await enqueue(env, pending.map((p) => ({ type: "notification.send" as const, ...p, requestId })));
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
  await enqueue(env, due.map((d) => ({ type: "notification.send" as const, ...d, requestId })));
  return due.length;
}
