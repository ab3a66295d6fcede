import { describe, expect, it } from "vitest";
import { database } from "../../db/client.ts";
import { appEnv, countRows, makeAchievement, makeOrg, sentJobs, type TestOrg } from "../../test/api.ts";
import { findAchievement } from "../achievements/achievements.ts";
import { permutationFor, IndexPermutation } from "../status-lists/permutation.ts";
import { issueCredentials, type IssueRecipient } from "./issue.ts";

async function setup(prefix: string) {
  const org = await makeOrg(prefix);
  const { id } = await makeAchievement(org);
  const achievement = (await findAchievement(database(appEnv), org.id, id))!;
  const record = { id: org.id, slug: org.slug, name: org.name, url: null };
  const run = (recipients: IssueRecipient[]) =>
    issueCredentials(appEnv, { org: record, achievement, recipients, requestId: `test-${prefix}` });
  return { org, achievement, run };
}

const people = (n: number, batchId?: string, from = 1): IssueRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Person ${from + i}`,
    email: `p${from + i}@example.edu`,
    ...(batchId ? { batchId, batchRow: from + i } : {}),
  }));

const listsOf = async (org: TestOrg) =>
  (await database(appEnv).$client.execute({ sql: "SELECT id, allocated, size FROM status_lists WHERE org_id = ? ORDER BY created_at", args: [org.id] })).rows;

describe("issueCredentials (the service the batch consumer calls)", () => {
  it("issues many in one call; re-running the same batch rows issues nothing new and returns the same ids", async () => {
    const { org, run } = await setup("svcbatch");
    const batchId = crypto.randomUUID();
    const first = await run(people(120, batchId));
    expect(first.every((r) => r.ok && r.created)).toBe(true);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(120);

    // A re-run overlapping rows 101-150: 1-100 are not passed; 101-120 exist; 121-150 are new.
    const again = await run(people(50, batchId, 101));
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(150);
    const ok = again.filter((r) => r.ok);
    expect(ok).toHaveLength(50);
    expect(ok.slice(0, 20).every((r) => r.ok && !r.created)).toBe(true);
    expect(ok.slice(20).every((r) => r.ok && r.created)).toBe(true);
    const firstIds = new Map(first.map((r) => [r.ok ? r.batchRow : -1, r.ok ? r.credentialId : ""]));
    for (const r of again.slice(0, 20)) if (r.ok) expect(r.credentialId).toBe(firstIds.get(r.batchRow));
  });

  it("concurrent runs of the same batch rows never issue a row twice", async () => {
    const { org, run } = await setup("svcrace");
    const batchId = crypto.randomUUID();
    const results = await Promise.all([run(people(30, batchId)), run(people(30, batchId)), run(people(30, batchId))]);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(30);
    const idsPerRow = new Set(results.flatMap((rs) => rs.map((r) => (r.ok ? `${r.batchRow}:${r.credentialId}` : "x"))));
    expect(idsPerRow.size).toBe(30); // every run reports the same credential for each row
  });

  it("refuses invalid rows individually, writing nothing for them", async () => {
    const { org, run } = await setup("svcinvalid");
    const results = await run([
      { name: "Good", email: "good@example.edu" },
      { name: "", email: "x@example.edu" },
      { name: "No Email", email: "nope" },
      { name: "Dates", email: "d@example.edu", validFrom: "2030-01-02T00:00:00Z", validUntil: "2030-01-01T00:00:00Z" },
      { name: "Bad date", email: "b@example.edu", validUntil: "soon" },
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.errors[0]?.field))).toEqual(["ok", "name", "email", "validUntil", "validUntil"]);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(1);
  });

  it("opens a new status list when the current one cannot take the slots, and publishes it", async () => {
    const { org, run } = await setup("svcfull");
    const [list] = await listsOf(org);
    await database(appEnv).$client.execute({ sql: "UPDATE status_lists SET allocated = size - 1 WHERE id = ?", args: [String(list!.id)] });
    const two = await run(people(2));
    const lists = await listsOf(org);
    expect(lists).toHaveLength(2);
    const fresh = lists[1]!;
    expect(two.every((r) => r.ok && r.statusListId === fresh.id)).toBe(true);
    expect(sentJobs).toContainEqual(expect.objectContaining({ type: "status-list.publish", statusListId: fresh.id }));
    // The old list's last slot still gets used by a single issuance.
    const one = await run(people(1, undefined, 10));
    expect(one[0]!.ok && one[0]!.statusListId).toBe(list!.id);
    expect(Number((await listsOf(org))[0]!.allocated)).toBe(131_072);
  });

  it("retries on a status slot collision (UNIQUE status_list_id, status_index) and still issues once", async () => {
    const { org, achievement, run } = await setup("svccollide");
    const [list] = await listsOf(org);
    const perm = await permutationFor(appEnv.KEY_ENCRYPTION_SECRET, String(list!.id), Number(list!.size));
    const taken = perm.at(Number(list!.allocated)); // the next slot the allocator will hand out
    await database(appEnv).$client.execute({
      sql: `INSERT INTO credentials (id, org_id, achievement_id, recipient_name, recipient_email, status_list_id, status_index, kid, jwt, valid_from)
            VALUES (?, ?, ?, 'Squatter', 's@example.edu', ?, ?, 'k', 'x.y.z', '2026-01-01T00:00:00Z')`,
      args: [crypto.randomUUID(), org.id, achievement.id, String(list!.id), taken],
    });
    const result = (await run(people(1)))[0]!;
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.created).toBe(true);
      expect(result.statusIndex).not.toBe(taken);
    }
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(2);
  });
});

describe("IndexPermutation", () => {
  it("is a bijection on [0, 131072) and does not preserve order", () => {
    const perm = new IndexPermutation(131_072, [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321]);
    const seen = new Uint8Array(131_072);
    let ascending = 0;
    let previous = -1;
    let outOfRange = 0;
    for (let p = 0; p < 131_072; p++) {
      const i = perm.at(p);
      if (i < 0 || i >= 131_072) outOfRange++;
      else seen[i]! += 1;
      if (i === previous + 1) ascending++;
      previous = i;
    }
    expect(outOfRange).toBe(0);
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(ascending).toBeLessThan(100);
  });

  it("handles sizes that are not powers of two", () => {
    const perm = new IndexPermutation(1000, [1, 2, 3, 4]);
    expect(new Set(Array.from({ length: 1000 }, (_, p) => perm.at(p))).size).toBe(1000);
    expect(() => perm.at(1000)).toThrow(RangeError);
  });
});
