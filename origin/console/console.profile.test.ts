// Console issuer profile: a new name and URL reach credentials issued afterwards and republish the
// issuer; bad values and bad logos are refused next to their field; the logo is uploaded (a
// multipart form carrying the CSRF token) and removed; roles, CSRF and another org's profile.
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, countRows, credentialBody, issue, makeAchievement, sentJobs } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

const PATH = "/console/settings/profile";
/** A valid 1×1 PNG. */
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));

let org: OrgWithOwner;
let owner: ConsoleClient;

function publishJobs(): number {
  return sentJobs.filter((j) => j.type === "issuer.publish" && j.orgId === org.id).length;
}

async function apiLogo(apiKey: string): Promise<{ status: number; url?: string }> {
  const res = await call("/v1/issuer/logo", { token: apiKey });
  return res.status === 200 ? { status: 200, url: ((await res.json()) as { url: string }).url } : { status: res.status };
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("prof"));
}, 60_000);

describe("issuer profile page", { timeout: 30_000 }, () => {
  it("changes the name and URL: credentials issued afterwards carry them, the issuer is republished, the change is audited", async () => {
    expect((await owner.get(PATH)).status).toBe(200);
    expect(owner.lastBody).toContain(`value="${org.name}"`);
    expect(owner.lastBody).toContain("credentials already issued keep what they were signed with");
    const jobsBefore = publishJobs();

    const res = await owner.post(PATH, { name: "  Renamed University  ", url: "https://www.renamed.example" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PATH}?done=profile`);
    expect(publishJobs()).toBe(jobsBefore + 1);
    await owner.get(res.headers.get("location")!);
    expect(owner.lastBody).toContain('value="Renamed University"');
    expect(owner.lastBody).toContain("Laurel · Renamed University");

    const achievement = await makeAchievement(org);
    const issued = (await (await issue(org, credentialBody(achievement.id))).json()) as { jwt: string };
    expect(decodeJwt(issued.jwt).issuer).toMatchObject({ name: "Renamed University", url: "https://www.renamed.example" });

    await owner.get("/console/settings/audit");
    expect(owner.lastBody).toContain("issuer-profile.update");
  });

  it("refuses a bad name or URL next to the field, as POST /v1/orgs does, and changes nothing", async () => {
    await owner.get(PATH);
    const jobsBefore = publishJobs();
    const res = await owner.post(PATH, { name: "   ", url: "http://plain-http.example" });
    expect(res.status).toBe(400);
    expect(owner.lastBody).toContain('id="f-name-error"');
    expect(owner.lastBody).toContain('id="f-url-error"');
    expect(owner.lastBody).toContain('value="http://plain-http.example"');
    expect(publishJobs()).toBe(jobsBefore);
    expect(await countRows("orgs", "id = ? AND name = ?", [org.id, "Renamed University"])).toBe(1);

    expect((await owner.post(PATH, { name: "x".repeat(201), url: "" })).status).toBe(400);
    expect(owner.lastBody).toContain("Give a name of 1 to 200 characters.");
  });

  it("uploads a logo through a multipart form, refuses a bad one next to the field, and removes it", async () => {
    await owner.get(PATH);
    expect(owner.lastBody).toContain('enctype="multipart/form-data"');
    expect(owner.lastBody).toContain("No logo yet.");

    const svg = new File(["<svg xmlns='http://www.w3.org/2000/svg'/>"], "logo.png", { type: "image/png" });
    expect((await owner.postMultipart(`${PATH}/logo`, { logo: svg })).status).toBe(422);
    expect(owner.lastBody).toContain('<p class="error" id="f-logo-error">The logo must be a PNG or JPEG image');
    const huge = new File([new Uint8Array(300 * 1024)], "big.png", { type: "image/png" });
    expect((await owner.postMultipart(`${PATH}/logo`, { logo: huge })).status).toBe(422);
    expect(owner.lastBody).toContain("at most 256 KB");
    expect((await owner.postMultipart(`${PATH}/logo`, {})).status).toBe(422);
    expect(owner.lastBody).toContain("Choose a PNG or JPEG file.");
    expect((await apiLogo(org.apiKey)).status).toBe(404);

    const res = await owner.postMultipart(`${PATH}/logo`, { logo: new File([PNG], "logo.png", { type: "image/png" }) });
    expect(res.status).toBe(303);
    const logo = await apiLogo(org.apiKey);
    expect(logo.status).toBe(200);
    await owner.get(`${PATH}?done=logo`);
    expect(owner.lastBody).toContain(`<img src="${new URL(logo.url!).pathname}"`);
    expect((await call(new URL(logo.url!).pathname)).headers.get("content-type")).toBe("image/png");

    expect((await owner.post(`${PATH}/logo/remove`)).status).toBe(303);
    expect((await apiLogo(org.apiKey)).status).toBe(404);
    await owner.get("/console/settings/audit");
    expect(owner.lastBody).toContain("issuer-logo.set");
    expect(owner.lastBody).toContain("issuer-logo.remove");
  });

  it("refuses a missing CSRF token (multipart too); issuers and viewers read but cannot change; another org's profile is untouched", async () => {
    await owner.get(PATH);
    expect((await owner.post(PATH, { _csrf: null, name: "No Token U" })).status).toBe(403);
    const png = new File([PNG], "logo.png", { type: "image/png" });
    expect((await owner.postMultipart(`${PATH}/logo`, { _csrf: null, logo: png })).status).toBe(403);
    expect((await owner.postMultipart(`${PATH}/logo`, { _csrf: "not-the-token", logo: png })).status).toBe(403);
    expect((await apiLogo(org.apiKey)).status).toBe(404);

    for (const role of ["issuer", "viewer"]) {
      const { client } = await invitedClient(owner, role);
      expect((await client.get(PATH)).status).toBe(200);
      expect(client.lastBody).toContain("Renamed University");
      expect(client.lastBody).not.toContain(`action="${PATH}"`);
      expect((await client.post(PATH, { name: "Taken Over", url: "" })).status).toBe(403);
      expect((await client.postMultipart(`${PATH}/logo`, { logo: png })).status).toBe(403);
      expect((await client.post(`${PATH}/logo/remove`)).status).toBe(403);
    }
    expect(await countRows("orgs", "id = ? AND name = ?", [org.id, "Renamed University"])).toBe(1);
    expect((await apiLogo(org.apiKey)).status).toBe(404);

    const { org: other, owner: otherOwner } = await ownerClient("prof-other");
    await otherOwner.get(PATH);
    expect(otherOwner.lastBody).toContain(`value="${other.name}"`);
    expect(otherOwner.lastBody).not.toContain("Renamed University");
    expect((await otherOwner.post(PATH, { name: "Other Renamed", url: "" })).status).toBe(303);
    expect(await countRows("orgs", "id = ? AND name = ?", [org.id, "Renamed University"])).toBe(1);
  });
});
