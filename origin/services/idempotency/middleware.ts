// Idempotency-Key as Hono middleware (IETF httpapi-idempotency-key-header; docs/api.md
// "Idempotency"). Apply after `apiKeyAuth()` (keys are per org) and after a body-size limit
// (the body is read to fingerprint it), before validation:
//   middleware: [apiKeyAuth(), jsonBody(), idempotent()]
//
// What is remembered: only successful (2xx) answers are stored and replayed. Any other outcome
// (validation 4xx, 404, 5xx, a thrown error) releases the in-flight record, so the client can fix
// the request or retry with the same key. That is safe because no error path of the routes using
// this writes anything (bad input writes nothing; handlers do not fail after their commit), so a
// released key never hides a committed effect. A handler may store its answer in the same
// transaction as its effect (c.var.idempotency, completeIdempotencyKeyStatement) and say so by
// setting c.var.idempotentAnswerStored: POST /v1/credentials does (issuance takes the claim and
// returns the answer it stored), and so does POST /v1/credentials/batch (with the batch's rows;
// undone with them if its jobs cannot be queued), which saves a round trip, leaves no moment where the effect is
// committed and the key still in flight, and rolls the effect back if the claim was lost
// meanwhile. A request that dies mid-flight (isolate killed, database unreachable) may leave its
// record in flight: repeats answer 409 until the claim's lease runs out (IDEMPOTENCY_CLAIM_LEASE_MS),
// then the next one takes it over. The attempt that was taken over then cannot commit (its answer
// statement fails, rolling its effect back) and answers 409 too, so its client retries and gets the
// answer of the request that took over.
import type { MiddlewareHandler } from "hono";
import { AppError, problemResponse } from "../../../shared/http/problem.ts";
import { database } from "../../db/client.ts";
import { isDatabaseUnavailable } from "../../db/deadline.ts";
import type { OriginHono } from "../../env.ts";
import { parseIdempotencyKey, requestFingerprint } from "./fingerprint.ts";
import { claimIdempotencyKey, completeIdempotencyKey, holdsClaim, releaseIdempotencyKey } from "./store.ts";

/** Seconds a client should wait before repeating a request whose first attempt is still running. */
const RETRY_AFTER_SECONDS = 1;
const IN_FLIGHT_DETAIL = "A request with this Idempotency-Key is still being processed.";

/**
 * Makes a POST idempotent per (org, Idempotency-Key): missing key → 400 IDEMPOTENCY_KEY_MISSING,
 * same key + same request → replay of the first 2xx answer with `Idempotency-Replayed: true`,
 * same key + different request → 422 IDEMPOTENCY_KEY_REUSED, still running → 409
 * IDEMPOTENCY_KEY_IN_FLIGHT with Retry-After.
 */
export function idempotent(): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const key = parseIdempotencyKey(c.req.header("idempotency-key"));
    if (key === null) {
      throw new AppError(400, "IDEMPOTENCY_KEY_MISSING", "This call requires an Idempotency-Key header (for example a UUID).");
    }
    if (key === "invalid") {
      throw new AppError(400, "IDEMPOTENCY_KEY_INVALID", "Idempotency-Key must be 1-255 visible ASCII characters.");
    }
    const org = c.var.org;
    if (!org) throw new Error("idempotent() must run after apiKeyAuth()");
    const db = database(c.env);
    const fingerprint = await requestFingerprint(c.req.raw, await c.req.arrayBuffer());
    const log = c.var.rc.log.child({ idempotencyKey: key });

    const claim = await claimIdempotencyKey(db, org.id, key, fingerprint);
    switch (claim.kind) {
      case "mismatch":
        throw new AppError(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different request.");
      case "in_flight":
        throw new AppError(409, "IDEMPOTENCY_KEY_IN_FLIGHT", IN_FLIGHT_DETAIL, {
          headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
        });
      case "completed":
        log.info("idempotent replay", { replayedStatus: claim.status });
        return new Response(claim.body, {
          status: claim.status,
          headers: { "content-type": "application/json", "idempotency-replayed": "true" },
        });
      case "claimed":
        break;
    }

    // Once the handler succeeded its effect is committed: from then on the record is never
    // released, even if storing the answer fails (repeats then see 409, never a second effect).
    c.set("idempotency", { orgId: org.id, key, createdAt: claim.createdAt });
    let keepRecord = false;
    try {
      await next();
      if (c.error && !(c.error instanceof AppError) && !isDatabaseUnavailable(c.error) && !(await holdsClaim(db, org.id, key, claim.createdAt))) {
        // The effect's transaction failed because its answer could no longer commit: the claim's
        // lease ran out and a retry took the key over (its answer is the one that counts). Nothing
        // of this attempt committed, so the client is told to repeat, like any request in flight.
        keepRecord = true;
        log.warn("idempotency claim lost to a retry; this attempt rolled back");
        c.res = problemResponse(409, "IDEMPOTENCY_KEY_IN_FLIGHT", IN_FLIGHT_DETAIL, c.var.rc.requestId, {
          headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
        });
        return;
      }
      const res = c.res;
      if (c.var.idempotentAnswerStored) keepRecord = true; // the handler's own transaction stored it
      else if (!c.error && res.status >= 200 && res.status < 300) {
        keepRecord = true;
        const body = await res.clone().text();
        for (let attempt = 1; attempt <= 2; attempt++) {
          try {
            await completeIdempotencyKey(db, org.id, key, claim.createdAt, res.status, body);
            break;
          } catch (error) {
            log.error("could not store idempotent answer", { error, attempt });
          }
        }
      }
    } finally {
      if (!keepRecord) {
        const release = releaseIdempotencyKey(db, org.id, key, claim.createdAt).catch((error: unknown) =>
          log.error("could not release idempotency key", { error }),
        );
        // With the database unreachable the release would wait out another deadline before the
        // 503 goes out: it runs after the answer instead (and the claim's lease covers its failure).
        if (isDatabaseUnavailable(c.error)) c.executionCtx.waitUntil(release);
        else await release;
      }
    }
  };
}
