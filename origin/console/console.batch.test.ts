// Issue many from the console: the CSV is checked row by row with the batch API's rules before
// anything is stored, a submission stores one batch however often it is sent, and its progress and
// failed rows are readable only within the org.
import { describe, expect, it } from "vitest";
import { countRows, makeAchievement } from "../test/api.ts";
import { ownerClient } from "../test/console.ts";

const CSV = "name,email\r\nAda Lovelace,ada@example.edu\r\n,nobody@example.edu\r\nAlan Turing,not-an-email\r\nGrace Hopper,grace@example.edu\r\n";

describe("console CSV batch", () => {
  it("previews every row with its check, then stores one batch per form and shows its progress", async () => {
    const { org, owner } = await ownerClient("batch");
    const achievement = await makeAchievement(org);
    await owner.get("/console/issue/batch");
    const preview = await owner.post("/console/issue/batch/preview", { achievementId: achievement.id, csv: CSV });
    expect(preview.status).toBe(200);
    expect(owner.lastBody).toContain("<strong>2</strong> of 4 rows are ready");
    expect(owner.lastBody).toMatch(/<td>3<\/td><td>Alan Turing<\/td><td>not-an-email<\/td>\s*<td><span class="status-revoked">[A-Z_]+: /);
    expect(await countRows("batches", "org_id = ?", [org.id])).toBe(0); // nothing stored by the preview
    const formKey = owner.lastBody.match(/name="formKey" value="([^"]+)"/)![1]!;
    const csvField = owner.lastBody.match(/name="csv" value="([^"]*)"/)![1]!.replace(/&#13;|\r/g, "\r").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    const first = await owner.post("/console/issue/batch", { achievementId: achievement.id, formKey, csv: csvField });
    const again = await owner.post("/console/issue/batch", { achievementId: achievement.id, formKey, csv: csvField });
    expect(first.status).toBe(303);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await countRows("batches", "org_id = ?", [org.id])).toBe(1);
    const batchPath = first.headers.get("location")!;
    expect(await countRows("batch_rows", "batch_id = ? AND state = 'failed'", [batchPath.split("/").pop()!])).toBe(2);
    expect((await owner.get(batchPath)).status).toBe(200);
    expect(owner.lastBody).toMatch(/<progress id="batch-progress" max="4" value="\d"/);
    const json = await owner.get(`${batchPath}.json`);
    expect(await json.json()).toMatchObject({ total: 4 });
    const failed = await owner.get(`${batchPath}/failed.csv`);
    const text = await failed.text();
    expect(text.split("\r\n")[0]).toBe("row,name,email,error,detail");
    expect(text).toContain('"3","Alan Turing","not-an-email"');

    const { owner: stranger } = await ownerClient("batch-other");
    expect((await stranger.get(batchPath)).status).toBe(404);
    expect((await stranger.get(`${batchPath}/failed.csv`)).status).toBe(404);
    expect((await stranger.get(`${batchPath}.json`)).status).toBe(404);
  }, 30_000);

  it("shows a malformed CSV's problem next to the CSV field", async () => {
    const { org, owner } = await ownerClient("batch-bad");
    const achievement = await makeAchievement(org);
    await owner.get("/console/issue/batch");
    const res = await owner.post("/console/issue/batch/preview", { achievementId: achievement.id, csv: "name,phone\r\nA,1\r\n" });
    expect(res.status).toBe(400);
    expect(owner.lastBody).toMatch(/<p class="error" id="f-csv-error">[^<]+<\/p>/);
  });
});
