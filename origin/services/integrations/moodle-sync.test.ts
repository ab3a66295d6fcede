// A Moodle course synced end to end against the fake Moodle web services (local/fake-lms).
import { describe, expect, it, vi } from "vitest";
import { countRows, makeAchievement, makeOrg } from "../../test/api.ts";
import { connect, fakeCourse, lmsEnv, syncNow } from "../../test/integrations.ts";

describe("Moodle sync", { timeout: 240_000 }, () => {
  it("issues every completed user with an address, reports the one without and the one whose completion call errs, never issues twice", async () => {
    const e = lmsEnv();
    const org = await makeOrg("moodle");
    const achievement = await makeAchievement(org);
    // 252 enrolled: 1010 and 1020 have not completed; 1042 completed without an address; 1099's
    // completion call answers a Moodle error object. 252 - 2 - 1 (unknown) = 249 completions, 248 issuable.
    const course = await fakeCourse({ kind: "moodle", learnerCount: 252, notCompleted: [1010, 1020], noEmail: [1042], completionError: [1099] });
    const id = await connect(e, org, achievement.id, course, "moodle");

    const first = await syncNow(e, org, id);
    expect(first).toMatchObject({ status: "completed_with_errors", learnersSeen: 252, completionsSeen: 249, credentialsIssued: 248, skipped: 0, errorCount: 2 });
    expect(first.errors.map((x) => [x.lmsUserId, x.code])).toEqual([
      ["1042", "NO_EMAIL"],
      ["1099", "LMS_ERROR"],
    ]);
    expect(first.errors[1]!.detail).toContain("nocriteriaset");
    expect(first.errors[1]!.record).toContain('"exception":"moodle_exception"');
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(248);
    expect(await countRows("credentials", "org_id = ? AND recipient_email IN (?, ?)", [org.id, "learner1010@example.edu", "learner1020@example.edu"])).toBe(0);

    const second = await syncNow(e, org, id);
    expect(second).toMatchObject({ credentialsIssued: 0, skipped: 248, errorCount: 2 });

    // 1010 completes the course later: issued on the next sync, and only it.
    await course.change({ complete: [1010] });
    const third = await syncNow(e, org, id);
    expect(third).toMatchObject({ credentialsIssued: 1, skipped: 248 });
    expect(await countRows("credentials", "org_id = ? AND recipient_email = ?", [org.id, "learner1010@example.edu"])).toBe(1);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(249);
  });

  it("an invalid token fails the sync with Moodle's message, issuing nothing; the token is in no answer and no log line", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    const spies = [vi.spyOn(console, "log").mockImplementation(capture), vi.spyOn(console, "error").mockImplementation(capture), vi.spyOn(console, "warn").mockImplementation(capture)];
    const e = lmsEnv();
    const org = await makeOrg("moodle-token");
    const achievement = await makeAchievement(org);
    const course = await fakeCourse({ kind: "moodle", learnerCount: 3, token: "the-real-token" });
    const id = await connect(e, org, achievement.id, course, "moodle", { token: "wrong-token" });
    const sync = await syncNow(e, org, id);
    expect(sync.status).toBe("failed");
    expect(sync.failureReason).toContain("invalidtoken: Invalid token - token not found");
    expect(sync.failureReason).not.toContain("wrong-token");
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(0);
    for (const spy of spies) spy.mockRestore();
    expect(lines.some((l) => l.includes("job.integration.sync"))).toBe(true);
    expect(lines.filter((l) => l.includes("wrong-token"))).toEqual([]);
  });
});
