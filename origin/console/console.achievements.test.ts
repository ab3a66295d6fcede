// Console achievements: create through the form (the API then serves it; a double submit creates
// one), errors next to their field, "Preview" saves nothing, the preview image, editing (the name
// only until a credential exists), roles and another org's ids.
import { beforeAll, describe, expect, it } from "vitest";
import { call, countRows, credentialBody, issue, makeAchievement } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
let viewer: ConsoleClient;

const FORM = { name: "Console Cryptography", description: "Finished the course.", criteria: "Pass the final exam.", tags: "crypto, security", imageUrl: "", notifyRecipients: "on" };

async function newSeed(client: ConsoleClient): Promise<string> {
  const res = await client.get("/console/achievements/new");
  expect(res.status).toBe(200);
  return client.lastBody.match(/name="seed" value="([^"]+)"/)![1]!;
}

async function apiAchievement(id: string) {
  const res = await call(`/v1/achievements/${id}`, { token: org.apiKey });
  return { status: res.status, body: (await res.json()) as { name: string; description: string; tags: string[]; notifyRecipients: boolean; criteria: { narrative: string } } };
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("ach"));
  viewer = (await invitedClient(owner, "viewer")).client;
}, 60_000);

describe("creating an achievement", () => {
  it("creates it with the form's id; a repeated submission creates no second one", async () => {
    const seed = await newSeed(owner);
    const res = await owner.post("/console/achievements/new", { ...FORM, seed, intent: "save" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/achievements/${seed}?done=saved`);
    const api = await apiAchievement(seed);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ name: FORM.name, description: FORM.description, criteria: { narrative: FORM.criteria }, tags: ["crypto", "security"], notifyRecipients: true });

    const again = await owner.post("/console/achievements/new", { ...FORM, seed, intent: "save" });
    expect(again.status).toBe(303);
    expect(await countRows("achievements", "org_id = ?", [org.id])).toBe(1);
    expect(await countRows("audit_log", "org_id = ? AND action = 'achievement.create'", [org.id])).toBe(1);
  });

  it("shows each error next to its field and saves nothing", async () => {
    const seed = await newSeed(owner);
    const before = await countRows("achievements", "org_id = ?", [org.id]);
    const res = await owner.post("/console/achievements/new", { ...FORM, name: "", imageUrl: "ftp://example.com/x.png", seed, intent: "save" });
    expect(res.status).toBe(400);
    expect(owner.lastBody).toMatch(/id="f-name"[^>]*aria-invalid="true"/);
    expect(owner.lastBody).toContain('id="f-name-error"');
    expect(owner.lastBody).toContain('id="f-imageUrl-error"');
    expect(owner.lastBody).not.toContain('id="f-description-error"');
    expect(await countRows("achievements", "org_id = ?", [org.id])).toBe(before);
  });

  it("Preview redraws the badge for the unsaved name and saves nothing", async () => {
    const seed = await newSeed(owner);
    const before = await countRows("achievements", "org_id = ?", [org.id]);
    const res = await owner.post("/console/achievements/new", { ...FORM, name: "Unsaved Name", seed, intent: "preview" });
    expect(res.status).toBe(200);
    expect(owner.lastBody).toContain(`/console/achievements/preview.png?seed=${seed}&amp;name=Unsaved+Name`);
    expect(owner.lastBody).toContain('value="Unsaved Name"');
    expect(await countRows("achievements", "org_id = ?", [org.id])).toBe(before);
  });
});

describe("the preview image", () => {
  it("is a 400×400 PNG of the badge; a bad seed is refused; viewers may not draw", async () => {
    const seed = crypto.randomUUID();
    const res = await owner.get(`/console/achievements/preview.png?seed=${seed}&name=${encodeURIComponent("Live Preview")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = new Uint8Array(await res.arrayBuffer());
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
    expect(new DataView(png.buffer).getUint32(16)).toBe(400);
    expect((await owner.get("/console/achievements/preview.png?seed=not-a-uuid&name=x")).status).toBe(400);
    expect((await viewer.get(`/console/achievements/preview.png?seed=${seed}&name=x`)).status).toBe(403);
  });
});

describe("editing an achievement", () => {
  it("changes every field, the name only until a credential exists", async () => {
    const seed = await newSeed(owner);
    await owner.post("/console/achievements/new", { ...FORM, name: "Draft Name", seed, intent: "save" });
    await owner.get(`/console/achievements/${seed}`);
    const renamed = await owner.post(`/console/achievements/${seed}`, { ...FORM, name: "Final Name", description: "Changed.", notifyRecipients: null, intent: "save" });
    expect(renamed.status).toBe(303);
    expect((await apiAchievement(seed)).body).toMatchObject({ name: "Final Name", description: "Changed.", notifyRecipients: false });

    expect((await issue(org, credentialBody(seed))).status).toBe(201);
    await owner.get(`/console/achievements/${seed}`);
    expect(owner.lastBody).toContain("The name is fixed");
    const res = await owner.post(`/console/achievements/${seed}`, { ...FORM, name: "Sneaky Rename", description: "Changed again.", intent: "save" });
    expect(res.status).toBe(303);
    expect((await apiAchievement(seed)).body).toMatchObject({ name: "Final Name", description: "Changed again." });
  });

  it("answers 404 for another org's achievement and 403 to a viewer", async () => {
    const other = await ownerClient("ach-other");
    const theirs = await makeAchievement(other.org);
    expect((await owner.get(`/console/achievements/${theirs.id}`)).status).toBe(404);
    const post = await owner.post(`/console/achievements/${theirs.id}`, { ...FORM, intent: "save" });
    expect(post.status).toBe(404);
    expect((await apiAchievement(theirs.id)).status).toBe(404);
    const theirView = await call(`/v1/achievements/${theirs.id}`, { token: other.org.apiKey });
    expect(((await theirView.json()) as { name: string }).name).toBe(theirs.name);

    await viewer.get("/console/achievements");
    expect(viewer.lastBody).toContain("Console Cryptography");
    expect((await viewer.post("/console/achievements/new", { ...FORM, seed: crypto.randomUUID(), intent: "save" })).status).toBe(403);
  });

  it("finds achievements by part of the name", async () => {
    await owner.get("/console/achievements?q=cryptog");
    expect(owner.lastBody).toContain("Console Cryptography");
    expect(owner.lastBody).not.toContain("Final Name");
  });
});
