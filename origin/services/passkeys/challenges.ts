// WebAuthn challenges kept server-side: single use (taking one deletes it) and expiring after
// CHALLENGE_TTL_MS. A registration challenge is bound to the member who asked, a sign-in challenge
// to the browser that asked (a hash of its pre-session CSRF value), so a challenge obtained by one
// cannot be answered for another.
import { sql } from "drizzle-orm";
import { sha256Hex } from "../../auth/tokens.ts";
import type { Database } from "../../db/client.ts";
import { webauthnChallenges } from "../../db/schema/index.ts";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type ChallengeOwner = { purpose: "register"; memberId: string } | { purpose: "sign-in"; browser: string };

async function ownerColumns(owner: ChallengeOwner) {
  return owner.purpose === "register" ? { memberId: owner.memberId, browserHash: null } : { memberId: null, browserHash: await sha256Hex(owner.browser) };
}

/** Stores a challenge just handed out (and drops expired ones, so the table stays small). */
export async function storeChallenge(db: Database, challenge: string, owner: ChallengeOwner, now = Date.now()): Promise<void> {
  await db.batch([
    db.delete(webauthnChallenges).where(sql`${webauthnChallenges.expiresAt} <= ${now}`),
    db.insert(webauthnChallenges).values({ challenge, purpose: owner.purpose, ...(await ownerColumns(owner)), expiresAt: new Date(now + CHALLENGE_TTL_MS) }),
  ]);
}

/** Takes the challenge if it is outstanding, unexpired and the owner's; true once per challenge. */
export async function takeChallenge(db: Database, challenge: string, owner: ChallengeOwner, now = Date.now()): Promise<boolean> {
  const cols = await ownerColumns(owner);
  const result = await db.$client.execute({
    sql: `DELETE FROM webauthn_challenges WHERE challenge = ? AND purpose = ? AND expires_at > ?
          AND member_id IS ? AND browser_hash IS ? RETURNING challenge`,
    args: [challenge, owner.purpose, now, cols.memberId, cols.browserHash],
  });
  return result.rows.length === 1;
}
