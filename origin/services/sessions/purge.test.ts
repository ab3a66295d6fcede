// The scheduled purge of console sign-in state, on the real libSQL engine: expired sessions and
// spent throttle rows go, live ones stay, and one run deletes no more than its bound.
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../db/client.ts";
import { consoleSessions, loginThrottle, members } from "../../db/schema/index.ts";
import { testEnv } from "../../test/api.ts";
import { makeOrgWithOwner } from "../../test/console.ts";
import { WINDOW_MS } from "./login-throttle.ts";
import { purgeConsoleSignInState } from "./purge.ts";
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from "./sessions.ts";

const db = () => database(testEnv);
const MINUTE = 60_000;

async function ownerOf(prefix: string) {
  const org = await makeOrgWithOwner(prefix);
  const [member] = await db().select().from(members).where(eq(members.email, org.ownerEmail));
  return member!;
}

async function addSession(member: { id: string; orgId: string }, createdAgo: number, seenAgo: number, now: number): Promise<string> {
  const idHash = `test-${crypto.randomUUID()}`;
  await db().insert(consoleSessions).values({ idHash, memberId: member.id, orgId: member.orgId, csrfToken: "t", createdAt: new Date(now - createdAgo), lastSeenAt: new Date(now - seenAgo) });
  return idHash;
}

async function sessionsLeft(ids: string[]): Promise<string[]> {
  return (await db().select({ id: consoleSessions.idHash }).from(consoleSessions).where(inArray(consoleSessions.idHash, ids))).map((r) => r.id).sort();
}

describe("purgeConsoleSignInState", () => {
  it("deletes idle and too-old sessions and spent throttle rows, keeps live ones", async () => {
    const member = await ownerOf("purge");
    const now = Date.now();
    const live = await addSession(member, 10 * MINUTE, MINUTE, now);
    const idle = await addSession(member, IDLE_TIMEOUT_MS + 10 * MINUTE, IDLE_TIMEOUT_MS + MINUTE, now);
    const tooOld = await addSession(member, ABSOLUTE_TIMEOUT_MS + MINUTE, MINUTE, now);
    const tag = crypto.randomUUID();
    const spent = `account:spent-${tag}`, open = `account:open-${tag}`, locked = `client:locked-${tag}`;
    await db().insert(loginThrottle).values([
      { key: spent, failures: 3, windowStart: new Date(now - WINDOW_MS - MINUTE), lockedUntil: new Date(now - MINUTE) },
      { key: open, failures: 2, windowStart: new Date(now - MINUTE), lockedUntil: null },
      // Its window ended, but the lock runs on: still needed.
      { key: locked, failures: 20, windowStart: new Date(now - WINDOW_MS - MINUTE), lockedUntil: new Date(now + 5 * MINUTE) },
    ]);

    const purged = await purgeConsoleSignInState(db(), now);

    expect(purged.sessions).toBeGreaterThanOrEqual(2);
    expect(purged.throttles).toBeGreaterThanOrEqual(1);
    expect(await sessionsLeft([live, idle, tooOld])).toEqual([live]);
    const keys = (await db().select({ key: loginThrottle.key }).from(loginThrottle).where(inArray(loginThrottle.key, [spent, open, locked]))).map((r) => r.key).sort();
    expect(keys).toEqual([locked, open].sort());
  });

  it("deletes no more than its bound in one run; the next runs finish the rest", async () => {
    const member = await ownerOf("purgebound");
    const now = Date.now();
    const expired = [];
    for (let i = 0; i < 5; i++) expired.push(await addSession(member, IDLE_TIMEOUT_MS * 2, IDLE_TIMEOUT_MS * 2, now));

    const first = await purgeConsoleSignInState(db(), now, { batchSize: 2, batches: 1 });
    expect(first.sessions).toBe(2);

    for (let run = 0; run < 50 && (await sessionsLeft(expired)).length > 0; run++) {
      await purgeConsoleSignInState(db(), now, { batchSize: 2, batches: 2 });
    }
    expect(await sessionsLeft(expired)).toEqual([]);
  });
});
