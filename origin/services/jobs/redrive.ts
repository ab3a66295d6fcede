// Re-drives dead-lettered publication jobs (dead_letters rows of credential.publish, issuer.publish
// and status-list.publish not yet replayed), from the scheduled reconciler. The job runs here,
// directly, rather than going back on the queue: the queue may be what failed, and a job that
// fails again stays in its row (with a backoff) instead of cycling through the dead-letter queue.
// A handled row gets `replayed_at`. batch.issue is left to operators (docs/operations.md): a batch
// slice is heavy for a scheduled run, and its pending batch_rows already record what is left.
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import { deadLetters } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { isJob } from "../../queues/jobs.consumer.ts";
import { publishCredentials } from "../publication/credential.ts";
import { publishIssuer } from "../publication/issuer.ts";
import { reconcileBackoffMs } from "../publication/outbox.ts";
import { publishStatusList } from "../publication/status-list.ts";

type Env = Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "PROJECTIONS" | "STATUS_LISTS" | "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET">;

const REDRIVEN_TYPES = ["credential.publish", "issuer.publish", "status-list.publish"];

/** Dead letters handled per run (each ~5 subrequests, see RECONCILE_LIMITS). */
export const REDRIVE_LIMIT = 20;

export interface Redriven {
  /** Message ids now marked replayed. */
  redriven: string[];
  failed: string[];
}

/** Re-drives up to `limit` due dead letters, oldest first. Never throws. */
export async function redriveDeadLetters(env: Env, log: Logger, options: { now?: number; limit?: number } = {}): Promise<Redriven> {
  const now = options.now ?? Date.now();
  const done: Redriven = { redriven: [], failed: [] };
  try {
    const db = database(env);
    const due = await db
      .select({ messageId: deadLetters.messageId, jobType: deadLetters.jobType, body: deadLetters.body, attempts: deadLetters.redriveAttempts })
      .from(deadLetters)
      .where(
        and(
          isNull(deadLetters.replayedAt),
          inArray(deadLetters.jobType, REDRIVEN_TYPES),
          or(isNull(deadLetters.redriveAfter), lte(deadLetters.redriveAfter, new Date(now))),
        ),
      )
      .orderBy(asc(deadLetters.receivedAt))
      .limit(options.limit ?? REDRIVE_LIMIT);
    for (const letter of due) {
      const fields = { messageId: letter.messageId, jobType: letter.jobType };
      try {
        const outcome = await runPublicationJob(db, env, JSON.parse(letter.body) as unknown);
        if (outcome === "missing") log.warn("dead-lettered job has nothing to publish (its object does not exist)", fields);
        await db.update(deadLetters).set({ replayedAt: new Date(now) }).where(eq(deadLetters.messageId, letter.messageId));
        done.redriven.push(letter.messageId);
      } catch (error) {
        done.failed.push(letter.messageId);
        log.error("dead-letter re-drive failed", { ...fields, redriveAttempts: letter.attempts + 1, error });
        await db
          .update(deadLetters)
          .set({ redriveAttempts: sql`${deadLetters.redriveAttempts} + 1`, redriveAfter: new Date(now + reconcileBackoffMs(letter.attempts)) })
          .where(eq(deadLetters.messageId, letter.messageId));
      }
    }
  } catch (error) {
    log.error("dead-letter re-drive failed", { error });
  }
  return done;
}

/** Runs a publication job as the consumer would; "missing" when its object does not exist. */
async function runPublicationJob(db: Database, env: Env, body: unknown): Promise<"published" | "missing"> {
  if (!isJob(body)) throw new Error("the dead letter is not a job");
  switch (body.type) {
    case "status-list.publish":
      return (await publishStatusList(db, env, body.statusListId)) === "missing" ? "missing" : "published";
    case "issuer.publish":
      return (await publishIssuer(db, env, body.orgId)) === "missing" ? "missing" : "published";
    case "credential.publish": {
      const { outcomes } = await publishCredentials(db, env, [{ credentialId: body.credentialId }]);
      const outcome = outcomes.get(body.credentialId);
      if (outcome instanceof Error) throw outcome;
      return outcome === "missing" ? "missing" : "published";
    }
    case "batch.issue":
    case "key.resign":
    case "notification.send":
    case "credential.prove":
      // Not publications: a batch is re-sent by an operator, a re-signing by repeating the key's
      // revocation, a notification by the notification sweep (its row stays pending), a batch
      // credential's proof by the proof sweep (its credential_proofs row is still missing).
      throw new Error(`${body.type} is not re-driven by the reconciler`);
  }
}
