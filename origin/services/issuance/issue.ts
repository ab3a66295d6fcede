// Issues OB 3.0 credentials: reserve status slots, build and sign every credential, then insert
// them all in one libSQL batch (one transaction, one round trip). Used by single issuance
// (POST /v1/credentials) and by the batch consumer, which passes batchId/batchRow per recipient.
import { createLogger, type Logger } from "../../../shared/observability/logger.ts";
import { newCredentialIdInSet, newCredentialSetId } from "../../../shared/credential-sets.ts";
import { credentialPageUrl } from "../../../shared/public-urls.ts";
import { signCredentialJwt } from "../../../shared/vc-jwt/index.ts";
import { database } from "../../db/client.ts";
import type { achievements } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { completeIdempotencyKeyStatement, type IdempotencyClaim, type StoredAnswer } from "../idempotency/store.ts";
import { enqueueAfterCommit } from "../jobs/enqueue.ts";
import { recipientStatementsForIssue } from "../notifications/on-issue.ts";
import { wantIssuedPublished } from "../publication/outbox.ts";
import { recordCredentialsIssued } from "../webhooks/events.ts";
import { publicBaseUrl } from "../publication/public-url.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import { activeKeyForIssuance, unlockSigningKey } from "../signing/signing-keys.ts";
import { reserveStatusSlots, takeStatusSlot } from "../status-lists/allocate.ts";
import type { FieldError } from "../../validation.ts";
import { checkRecipient, type CheckedRecipient, type IssueRecipient } from "./recipient.ts";
import { buildOrgCredential } from "./credential.ts";
import { currentLogo, logoUrl } from "../issuer-profile/logo.ts";
import { batchKey, findBatchCredentials, insertAndReadBack, type StoredBatchCredential } from "./store.ts";

export type { IssueRecipient } from "./recipient.ts";
export type AchievementRecord = typeof achievements.$inferSelect;

/** What `issueCredentials` needs; `achievement` must already be known to belong to `org`. */
export interface IssueInput {
  org: OrgRecord;
  achievement: AchievementRecord;
  recipients: readonly IssueRecipient[];
  /** Carried into the jobs this call enqueues (new status lists). */
  requestId: string;
  log?: Logger;
  /** Single issuance: take the status slot from the isolate's prefetched pool (see takeStatusSlot). */
  pooledSlot?: boolean;
  /**
   * Batch issuance: the credentials created by this call form one credential set (their ids share
   * a new set id, shared/credential-sets.ts) and are published to KV as one value.
   */
  inSet?: boolean;
  /**
   * Single issuance only (one recipient): the request's Idempotency-Key claim and the answer to
   * store for it, built from the issued credential. The answer commits in the credential's
   * transaction, only if that credential's row was inserted (a lost status slot retries with a new
   * id) and only while the claim is still held (else nothing commits); the result's `storedAnswer`
   * is what was committed.
   */
  idempotency?: { claim: IdempotencyClaim; answer: (issued: IssuedCredential) => StoredAnswer };
}

/** What a new credential's answer is built from. */
export interface IssuedCredential {
  credentialId: string;
  jwt: string;
  verifyUrl: string;
}

/** One answer per recipient, in input order. */
export type IssueResult =
  | {
      ok: true;
      credentialId: string;
      /** false when the batch row had already been issued by an earlier run (nothing new written). */
      created: boolean;
      jwt: string;
      verifyUrl: string;
      statusListId: string;
      statusIndex: number;
      validFrom: string;
      validUntil: string | null;
      batchId?: string;
      batchRow?: number;
      /** Set when created: the stored name and issue time, so the caller can project the row without reading it back. */
      recipientName?: string;
      issuedAt?: Date;
      /** With `idempotency`: the answer stored for the claim in the credential's transaction (absent if none was). */
      storedAnswer?: StoredAnswer;
    }
  | { ok: false; code: "INVALID_RECIPIENT"; errors: FieldError[]; batchId?: string; batchRow?: number };

type Ok = Extract<IssueResult, { ok: true }>;

const MAX_ATTEMPTS = 5;

/**
 * Issues one credential per valid recipient and returns, per recipient, the credential id (new or,
 * for an already-issued batch row, existing) or why the row was refused. Never issues a batch row
 * twice: rows are inserted with ON CONFLICT DO NOTHING against UNIQUE (batch_id, batch_row) and
 * read back. A status-slot collision (UNIQUE (status_list_id, status_index)) is retried with new
 * slots. Throws only on infrastructure failure (database, missing key, configuration); what was
 * committed before such a failure is found again by a re-run with the same batch rows.
 * The caller enqueues `credential.publish` for created credentials outside a set (the outbox row
 * written with each makes the scheduled reconciler publish it if that job is lost).
 */
export async function issueCredentials(env: OriginEnv, input: IssueInput): Promise<IssueResult[]> {
  const db = database(env);
  const log = input.log ?? createLogger({ service: "origin", requestId: input.requestId, orgId: input.org.id });
  const base = publicBaseUrl(env);
  const now = new Date();
  const results: (IssueResult | undefined)[] = new Array(input.recipients.length);
  if (input.idempotency && input.recipients.length !== 1) throw new Error("idempotency is for single issuance only");

  const pending: { at: number; r: CheckedRecipient }[] = [];
  input.recipients.forEach((recipient, at) => {
    const checked = checkRecipient(recipient, now);
    if ("errors" in checked) {
      results[at] = { ok: false, code: "INVALID_RECIPIENT", errors: checked.errors, batchId: recipient.batchId, batchRow: recipient.batchRow };
    } else pending.push({ at, r: checked });
  });

  // Batch rows issued by an earlier run are answered from the database, without new slots or signatures.
  let todo = pending;
  const [existing, logo] = await Promise.all([findBatchCredentials(db, input.org.id, pending.map((p) => p.r)), currentLogo(db, input.org.id)]);
  // The org's logo as it is now: part of the signed credential, so later changes leave it as issued.
  const issuerImage = logo ? logoUrl(env, logo) : undefined;
  if (existing.size > 0) {
    todo = [];
    for (const p of pending) {
      const found = existing.get(batchKey(p.r));
      if (found) results[p.at] = answerExisting(found, base);
      else todo.push(p);
    }
  }

  let setId: string | null = null; // one set per call, whatever the retries
  for (let attempt = 1; todo.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw new Error(`status slot collisions persisted after ${MAX_ATTEMPTS} attempts`);
    const [keyRow, reserved] = await Promise.all([
      activeKeyForIssuance(db, input.org.id),
      input.pooledSlot && todo.length === 1
        ? takeStatusSlot(db, env.KEY_ENCRYPTION_SECRET, input.org.id)
        : reserveStatusSlots(db, env.KEY_ENCRYPTION_SECRET, input.org.id, todo.length),
    ]);
    if (reserved.createdLists.length > 0) {
      await enqueueAfterCommit(
        env,
        reserved.createdLists.map((statusListId) => ({ type: "status-list.publish" as const, statusListId, requestId: input.requestId })),
        log,
      );
    }
    if (!keyRow) throw new Error(`org ${input.org.id} has no active signing key`);
    const key = await unlockSigningKey(env, keyRow);
    const a = input.achievement;
    setId ??= input.inSet ? newCredentialSetId() : null;
    const rows = await Promise.all(
      todo.map(async ({ r }, i) => {
        const slot = reserved.slots[i]!;
        const id = setId ? newCredentialIdInSet(setId) : crypto.randomUUID();
        const vc = await buildOrgCredential({
          base,
          org: input.org,
          achievement: a,
          recipient: { name: r.name, email: r.email },
          ...(issuerImage ? { issuerImage } : {}),
          id,
          slot,
          validFrom: r.validFrom,
          validUntil: r.validUntil,
        });
        const jwt = await signCredentialJwt(vc, key);
        return {
          id,
          orgId: input.org.id,
          achievementId: a.id,
          batchId: r.batchId ?? null,
          batchRow: r.batchRow ?? null,
          recipientName: r.name,
          recipientEmail: r.email,
          statusListId: slot.statusListId,
          statusIndex: slot.statusIndex,
          kid: key.keyId,
          jwt,
          validFrom: vc.validFrom,
          validUntil: vc.validUntil ?? null,
          issuedAt: now,
        };
      }),
    );

    const first = rows[0]!;
    const idempotency = input.idempotency;
    const answer = idempotency?.answer({ credentialId: first.id, jwt: first.jwt, verifyUrl: credentialPageUrl(base, first.id) });
    const extra = idempotency && answer
      ? [
          completeIdempotencyKeyStatement(idempotency.claim, answer, {
            sql: "EXISTS (SELECT 1 FROM credentials WHERE id = ?)",
            args: [first.id],
          }),
        ]
      : [];
    // A credential outside a set is published by credential.publish: the outbox row, committed with
    // it, makes the reconciler publish it should that job be lost. Sets are published by batch.issue
    // itself before their rows count as issued.
    const outbox = setId ? [] : [wantIssuedPublished(rows.map((r) => r.id), Date.now())];
    // credential.issued webhook events, committed with the credentials (services/webhooks/events.ts).
    const events = recordCredentialsIssued(input.org.id, rows.map((r) => ({ credentialId: r.id, achievementId: r.achievementId, verifyUrl: credentialPageUrl(base, r.id), batchId: r.batchId, issuedAt: r.issuedAt })), input.requestId, env.TRACE);
    // The recipient index and, if the achievement notifies, the pending notifications (one call).
    outbox.push(...(await recipientStatementsForIssue(env, rows, a.notifyRecipients, Date.now())));
    const inserted = await insertAndReadBack(db, input.org.id, rows, extra, [...outbox, ...events]);
    const retry: typeof todo = [];
    todo.forEach((p, i) => {
      const row = rows[i]!;
      if (inserted.ids.has(row.id)) {
        results[p.at] = {
          ok: true,
          credentialId: row.id,
          created: true,
          jwt: row.jwt,
          verifyUrl: credentialPageUrl(base, row.id),
          statusListId: row.statusListId,
          statusIndex: row.statusIndex,
          validFrom: row.validFrom,
          validUntil: row.validUntil,
          recipientName: row.recipientName,
          issuedAt: row.issuedAt,
          ...(answer && inserted.extraRowsAffected > 0 ? { storedAnswer: answer } : {}),
          ...(p.r.batchId !== undefined ? { batchId: p.r.batchId, batchRow: p.r.batchRow } : {}),
        };
        return;
      }
      const found = inserted.batchRows.get(batchKey(p.r));
      if (found) results[p.at] = answerExisting(found, base);
      else retry.push(p); // lost its status slot to another credential: new slot, new signature
    });
    if (retry.length > 0) log.warn("status slot collision, retrying", { count: retry.length, attempt });
    todo = retry;
  }
  return results as IssueResult[];
}

/** A stored batch row's credential, as issuance answers it (nothing new written). */
function answerExisting(found: StoredBatchCredential, base: string): Ok {
  return { ...found, ok: true, created: false, verifyUrl: credentialPageUrl(base, found.credentialId) };
}
