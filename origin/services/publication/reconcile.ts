// The publication reconciler (run every minute by the scheduled handler): the database says what
// the edge must show, the queue is only the fast path. Each run republishes, a bounded number of
// each, the status lists whose version is ahead of the version last published, the credentials
// still in the outbox once due, and the issuers whose keys changed after their last publication.
// Every publication is idempotent and versioned, so a run that overlaps the queue (or another run)
// only repeats a write; the next run continues where this one's limits stopped it.
import type { Logger } from "../../../shared/observability/logger.ts";
import { database, type Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { originMetrics } from "../../metrics.ts";
import { forEachBounded, publishCredentials } from "./credential.ts";
import { publishIssuer } from "./issuer.ts";
import { deferPublication, dropPublications, duePublications } from "./outbox.ts";
import { issuersBehind, statusListsBehind } from "./published-versions.ts";
import { publishStatusList } from "./status-list.ts";

type Env = Pick<OriginEnv, "LIBSQL_URL" | "LIBSQL_AUTH_TOKEN" | "PROJECTIONS" | "STATUS_LISTS" | "PUBLIC_BASE_URL" | "KEY_ENCRYPTION_SECRET">;

/**
 * Work per run. Sized for one scheduled invocation's subrequest budget (1,000): a status list is
 * ~7 (three reads, KV read and write, the Durable Object, the record), a credential ~3 KV
 * operations plus shared reads, an issuer ~5.
 */
export const RECONCILE_LIMITS = { statusLists: 20, credentials: 50, issuers: 20 };

/** Status lists and issuers republished at once (each signs or reads on its own). */
const CONCURRENCY = 4;

export interface Reconciled {
  published: string[];
  failed: string[];
}

export interface ReconcileReport {
  statusLists: Reconciled;
  credentials: Reconciled & { dropped: string[] };
  issuers: Reconciled;
}

/** One reconciler pass. Never throws: a part that fails is logged and left to the next run. */
export async function reconcilePublications(
  env: Env,
  log: Logger,
  options: { now?: number; limits?: typeof RECONCILE_LIMITS } = {},
): Promise<ReconcileReport> {
  const now = options.now ?? Date.now();
  const limits = options.limits ?? RECONCILE_LIMITS;
  const db = database(env);
  // Status lists first: they carry revocations, the change that must never be lost.
  const statusLists = await guarded(log, "status lists", () => republishStatusLists(db, env, log, limits.statusLists));
  const credentials = await guarded(log, "credentials", () => republishCredentials(db, env, log, now, limits.credentials));
  const issuers = await guarded(log, "issuers", () => republishIssuers(db, env, log, limits.issuers));
  const report = { statusLists, credentials: { dropped: [], ...credentials }, issuers };
  originMetrics.increment(
    "laurel_publications_reconciled_total",
    statusLists.published.length + credentials.published.length + issuers.published.length,
  );
  return report;
}

async function guarded<T extends Reconciled>(log: Logger, part: string, run: () => Promise<T>): Promise<T | Reconciled> {
  try {
    return await run();
  } catch (error) {
    log.error(`reconciling ${part} failed`, { error });
    return { published: [], failed: [] };
  }
}

async function republishStatusLists(db: Database, env: Env, log: Logger, limit: number): Promise<Reconciled> {
  const done: Reconciled = { published: [], failed: [] };
  await forEachBounded(await statusListsBehind(db, limit), CONCURRENCY, async (listId) => {
    try {
      const outcome = await publishStatusList(db, env, listId);
      if (outcome === "missing") throw new Error("status list not found");
      done.published.push(listId);
    } catch (error) {
      done.failed.push(listId);
      log.error("status list republication failed", { statusListId: listId, error });
    }
  });
  return done;
}

async function republishIssuers(db: Database, env: Env, log: Logger, limit: number): Promise<Reconciled> {
  const done: Reconciled = { published: [], failed: [] };
  await forEachBounded(await issuersBehind(db, limit), CONCURRENCY, async (orgId) => {
    try {
      if ((await publishIssuer(db, env, orgId)) === "missing") throw new Error("org not found");
      done.published.push(orgId);
    } catch (error) {
      done.failed.push(orgId);
      log.error("issuer republication failed", { orgId, error });
    }
  });
  return done;
}

// Published rows leave the outbox inside publishCredentials; a credential that does not exist can
// never be published (its row is dropped); a failure falls due again after a backoff.
async function republishCredentials(db: Database, env: Env, log: Logger, now: number, limit: number) {
  const due = await duePublications(db, now, limit);
  const done = { published: [] as string[], failed: [] as string[], dropped: [] as string[] };
  if (due.length === 0) return done;
  const { outcomes, outboxError } = await publishCredentials(db, env, due.map((d) => ({ credentialId: d.credentialId })));
  if (outboxError) log.warn("credentials republished, but their outbox rows stay", { error: outboxError });
  for (const row of due) {
    const outcome = outcomes.get(row.credentialId);
    if (outcome === "published" || outcome === "stale") done.published.push(row.credentialId);
    else if (outcome === "missing") done.dropped.push(row.credentialId);
    else {
      done.failed.push(row.credentialId);
      log.error("credential republication failed", { credentialId: row.credentialId, attempts: row.attempts + 1, error: outcome });
      await deferPublication(db, row, outcome ?? new Error("no outcome"), now);
    }
  }
  if (done.dropped.length > 0) {
    log.warn("outbox rows of unknown credentials dropped", { credentialIds: done.dropped });
    await dropPublications(db, done.dropped);
  }
  return done;
}
