// What the wallet page reads and changes for a signed-in recipient (by email hash): their
// credentials across every org of this deployment, which ones they hid, and whether public pages
// show their name (a change republishes their credentials' projections).
import { kvKeys } from "../../../shared/kv-keys.ts";
import { credentialSetIdOf } from "../../../shared/credential-sets.ts";
import type { Logger } from "../../../shared/observability/logger.ts";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { enqueueAfterCommit } from "../jobs/enqueue.ts";
import { forEachBounded } from "../publication/credential.ts";
import { republishCredentialSet } from "../publication/credential-set.ts";

export interface WalletCredential {
  id: string;
  issuerName: string;
  achievementName: string;
  status: "active" | "revoked";
  revocationReason: string | null;
  validFrom: string;
  validUntil: string | null;
  issuedAt: Date;
  hidden: boolean;
}

/** The recipient's credentials, newest first (at most `limit`). */
export async function walletCredentials(db: Database, emailHash: string, limit = 500): Promise<WalletCredential[]> {
  const result = await db.$client.execute({
    sql: `SELECT c.id, o.name AS issuer_name, a.name AS achievement_name, c.status, c.revocation_reason, c.valid_from,
                 c.valid_until, c.issued_at, r.hidden
          FROM recipient_credentials AS r JOIN credentials AS c ON c.id = r.credential_id
          JOIN orgs AS o ON o.id = c.org_id JOIN achievements AS a ON a.id = c.achievement_id
          WHERE r.email_hash = ? ORDER BY c.issued_at DESC, c.id DESC LIMIT ?`,
    args: [emailHash, limit],
  });
  return result.rows.map((r) => ({
    id: String(r.id),
    issuerName: String(r.issuer_name),
    achievementName: String(r.achievement_name),
    status: String(r.status) === "revoked" ? "revoked" : "active",
    revocationReason: r.revocation_reason == null ? null : String(r.revocation_reason),
    validFrom: String(r.valid_from),
    validUntil: r.valid_until == null ? null : String(r.valid_until),
    issuedAt: new Date(Number(r.issued_at)),
    hidden: Number(r.hidden) === 1,
  }));
}

/** Whether the recipient has any credential (the sign-in form sends a link only then). */
export async function hasCredentials(db: Database, emailHash: string): Promise<boolean> {
  const result = await db.$client.execute({ sql: "SELECT 1 FROM recipient_credentials WHERE email_hash = ? LIMIT 1", args: [emailHash] });
  return result.rows.length > 0;
}

/** Hides or shows one of the recipient's credentials in their list; false when it is not theirs. */
export async function setHidden(db: Database, emailHash: string, credentialId: string, hidden: boolean): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE recipient_credentials SET hidden = ? WHERE credential_id = ? AND email_hash = ?",
    args: [hidden ? 1 : 0, credentialId, emailHash],
  });
  return result.rowsAffected > 0;
}

/** Whether public pages hide the recipient's name. */
export async function hidesName(db: Database, emailHash: string): Promise<boolean> {
  const result = await db.$client.execute({ sql: "SELECT hide_name FROM recipient_preferences WHERE email_hash = ?", args: [emailHash] });
  return Number(result.rows[0]?.hide_name ?? 0) === 1;
}

/**
 * Records the name choice and republishes the recipient's credentials so the edge shows it: a
 * batch-issued credential through its set's KV value (which the edge reads first), any other
 * through credential.publish. Their social cards show the name, so they are deleted (the edge has
 * them rendered again on the next request). Returns how many credentials were republished.
 */
export async function setHideName(env: OriginEnv, db: Database, emailHash: string, hide: boolean, requestId: string, log: Logger): Promise<number> {
  const changed = await db.$client.execute({
    sql: `INSERT INTO recipient_preferences (email_hash, hide_name, updated_at) VALUES (?1, ?2, ?3)
          ON CONFLICT (email_hash) DO UPDATE SET hide_name = ?2, updated_at = ?3 WHERE recipient_preferences.hide_name <> ?2`,
    args: [emailHash, hide ? 1 : 0, Date.now()],
  });
  if (changed.rowsAffected === 0) return 0;
  const ids = (await db.$client.execute({ sql: "SELECT credential_id FROM recipient_credentials WHERE email_hash = ?", args: [emailHash] })).rows.map((r) =>
    String(r.credential_id),
  );
  await republishNames(env, db, ids, requestId, log);
  return ids.length;
}

/**
 * Republishes credentials whose name choice changed (or was just found, by the recipient-index
 * backfill): sets from the database, the others through credential.publish; their social cards are
 * deleted so the edge renders them again.
 */
export async function republishNames(env: OriginEnv, db: Database, ids: readonly string[], requestId: string, log: Logger): Promise<void> {
  const sets = new Set<string>();
  const single: string[] = [];
  for (const id of ids) {
    const setId = credentialSetIdOf(id);
    if (setId) sets.add(setId);
    else single.push(id);
  }
  await forEachBounded([...sets], 8, async (setId) => void (await republishCredentialSet(db, env, setId)));
  await forEachBounded(ids, 8, (id) => env.PROJECTIONS.delete(kvKeys.cardPng(id)));
  await enqueueAfterCommit(env, single.map((credentialId) => ({ type: "credential.publish" as const, credentialId, requestId, card: "lazy" as const })), log);
}

/** Records an opt-out of one org's notification emails (idempotent). */
export async function optOut(db: Database, emailHash: string, orgId: string): Promise<void> {
  await db.$client.execute({
    sql: "INSERT INTO recipient_opt_outs (email_hash, org_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [emailHash, orgId, Date.now()],
  });
}
