// Console signing keys: the list, rotation (the API then shows the new active key and the old one
// retired), revocation with a reason behind a confirmation step, roles, CSRF and another org's keys.
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeOrg, sentJobs } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;

interface ApiKey {
  kid: string;
  status: string;
  reason: string | null;
}

async function apiKeys(): Promise<ApiKey[]> {
  return (await (await call("/v1/keys", { token: org.apiKey })).json()) as ApiKey[];
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("keys"));
}, 60_000);

describe("signing keys page", () => {
  it("lists the keys; rotating makes a new active key and publishes the issuer", async () => {
    const [first] = await apiKeys();
    expect((await owner.get("/console/settings/keys")).status).toBe(200);
    expect(owner.lastBody).toContain(first!.kid);
    expect(owner.lastBody).toContain("ES256");

    const res = await owner.post("/console/settings/keys/rotate");
    expect(res.status).toBe(200);
    const keys = await apiKeys();
    expect(keys.map((k) => k.status)).toEqual(["retired", "active"]);
    expect(owner.lastBody).toContain(keys[1]!.kid);
    expect(sentJobs.some((j) => j.type === "issuer.publish" && j.orgId === org.id)).toBe(true);
  });

  it("revokes a key only with a reason, after a confirmation page", async () => {
    const retired = (await apiKeys()).find((k) => k.status === "retired")!;
    const confirm = await owner.get(`/console/settings/keys/${encodeURIComponent(retired.kid)}/revoke`);
    expect(confirm.status).toBe(200);
    expect(owner.lastBody).toContain("is final");
    expect((await apiKeys()).find((k) => k.kid === retired.kid)!.status).toBe("retired");

    const noReason = await owner.post(`/console/settings/keys/${encodeURIComponent(retired.kid)}/revoke`, { reason: "  " });
    expect(noReason.status).toBe(400);
    expect(owner.lastBody).toContain('id="f-reason-error"');
    expect((await apiKeys()).find((k) => k.kid === retired.kid)!.status).toBe("retired");

    const done = await owner.post(`/console/settings/keys/${encodeURIComponent(retired.kid)}/revoke`, { reason: "Exposed in a build log" });
    expect(done.status).toBe(200);
    expect((await apiKeys()).find((k) => k.kid === retired.kid)).toMatchObject({ status: "revoked", reason: "Exposed in a build log" });
    expect(sentJobs.some((j) => j.type === "key.resign" && j.kid === retired.kid)).toBe(true);
  });

  it("refuses a missing CSRF token, other roles than owner and admin, and another org's key", async () => {
    const before = (await apiKeys()).length;
    await owner.get("/console/settings/keys");
    expect((await owner.post("/console/settings/keys/rotate", { _csrf: null })).status).toBe(403);
    const { client: issuer } = await invitedClient(owner, "issuer");
    expect((await issuer.get("/console/settings/keys")).status).toBe(403);
    expect((await issuer.post("/console/settings/keys/rotate")).status).toBe(403);
    expect((await apiKeys()).length).toBe(before);

    const other = await makeOrg("keys-other");
    const [theirs] = (await (await call("/v1/keys", { token: other.apiKey })).json()) as ApiKey[];
    expect((await owner.get(`/console/settings/keys/${encodeURIComponent(theirs!.kid)}/revoke`)).status).toBe(404);
    await owner.get("/console/settings/keys");
    expect((await owner.post(`/console/settings/keys/${encodeURIComponent(theirs!.kid)}/revoke`, { reason: "not mine" })).status).toBe(404);
    const still = (await (await call("/v1/keys", { token: other.apiKey })).json()) as ApiKey[];
    expect(still[0]!.status).toBe("active");
  });
});
