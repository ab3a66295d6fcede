// Re-signs status lists before they expire (run by the cron, origin/scheduled.ts). Verifiers treat
// an expired list as `unknown`, so every list must be re-published within its validity period even
// when nothing in it changed. A re-signing bumps the list's version like a revocation does: KV and
// the edge's authority take the new signature, and the /status ETag changes with it.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "../../../shared/observability/logger.ts";
import type { Database } from "../../db/client.ts";
import { statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { forEachBounded } from "../publication/credential.ts";
import { publishStatusList } from "../publication/status-list.ts";
import { statusListValidity } from "./validity.ts";

/**
 * Lists re-signed per cron run, at most. Each costs about eight subrequests (database, KV, Durable
 * Object), so a run stays well inside a Worker invocation's limit; at one run every 30 minutes that
 * is 2,400 lists a day, enough for 12,000 lists on the default 7-day period with 2 days' notice
 * (the rest wait for the next run, soonest-expiring first).
 */
export const MAX_LISTS_PER_RUN = 50;
const CONCURRENCY = 4;
/** A list never published with a validity period is picked up once it is this old (its own job failed). */
const UNPUBLISHED_GRACE_MS = 3600_000;

type Env = Pick<OriginEnv, "PROJECTIONS" | "STATUS_LISTS" | "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET" | "STATUS_LIST_VALIDITY_DAYS">;

/** What one refresh run did. */
export interface StatusListRefresh {
  due: number;
  refreshed: number;
  failed: number;
}

/**
 * Re-signs and republishes (KV + StatusListAuthority) the lists whose published validUntil is
 * within the refresh window of `now`, soonest first, then lists older than an hour that were never
 * published with a validity period (signed before validity periods existed, or whose publication
 * job failed). A failure is logged and left for the next run.
 */
export async function refreshStatusLists(
  db: Database,
  env: Env,
  opts: { now?: number; limit?: number; log?: Logger } = {},
): Promise<StatusListRefresh> {
  const now = opts.now ?? Date.now();
  const { refreshAheadMs } = statusListValidity(env);
  const due = await db
    .select({ id: statusLists.id })
    .from(statusLists)
    .where(
      or(
        lt(statusLists.validUntil, new Date(now + refreshAheadMs)),
        and(isNull(statusLists.validUntil), lt(statusLists.createdAt, new Date(now - UNPUBLISHED_GRACE_MS))),
      ),
    )
    .orderBy(sql`${statusLists.validUntil} ASC NULLS LAST`, statusLists.id)
    .limit(opts.limit ?? MAX_LISTS_PER_RUN);
  const outcome: StatusListRefresh = { due: due.length, refreshed: 0, failed: 0 };
  await forEachBounded(due, CONCURRENCY, async ({ id }) => {
    try {
      await db.update(statusLists).set({ version: sql`${statusLists.version} + 1` }).where(eq(statusLists.id, id));
      await publishStatusList(db, env, id);
      outcome.refreshed++;
    } catch (error) {
      outcome.failed++;
      opts.log?.warn("status list re-signing failed", { statusListId: id, error });
    }
  });
  return outcome;
}

