// Passkeys end to end on the server, with a software authenticator answering as a real one would:
// a member registers one from Settings → Passkeys and signs in with it; challenges are single use,
// expire, and belong to the member or browser that asked; a wrong origin is refused; a member
// removes only their own passkeys.
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client.ts";
import { testEnv } from "../test/api.ts";
import { ConsoleClient, invitedClient, ownerClient, type OrgWithOwner } from "../test/console.ts";
import { SoftwareAuthenticator } from "../test/software-authenticator.ts";
import { CHALLENGE_TTL_MS, storeChallenge, takeChallenge } from "../services/passkeys/challenges.ts";
import { relyingParty } from "../services/passkeys/relying-party.ts";

const ORIGIN = "https://origin.test";
let org: OrgWithOwner;
let owner: ConsoleClient;
const authenticator = new SoftwareAuthenticator(ORIGIN);

async function options(client: ConsoleClient, path: string) {
  const res = await client.post(path);
  expect(res.status).toBe(200);
  return (await res.json()) as { challenge: string; rp: { id: string }; rpId: string; user: { id: string; name: string } };
}

async function signInPage(): Promise<ConsoleClient> {
  const client = new ConsoleClient();
  expect((await client.get("/console/sign-in/passkey")).status).toBe(200);
  return client;
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("passkeys"));
}, 60_000);

describe("registering a passkey", () => {
  it("verifies the authenticator's answer to the member's challenge, and the challenge works once", async () => {
    await owner.get("/console/settings/passkeys");
    expect(owner.lastBody).toContain('data-passkey="register"');
    const opts = await options(owner, "/console/settings/passkeys/options");
    expect(opts.rp.id).toBe("origin.test");
    expect(opts.user.name).toBe(org.ownerEmail);
    const answer = JSON.stringify(await authenticator.register(opts));
    const added = await owner.post("/console/settings/passkeys", { name: "Test laptop", response: answer });
    expect(added.headers.get("location")).toBe("/console/settings/passkeys?done=added");
    await owner.get("/console/settings/passkeys?done=added");
    expect(owner.lastBody).toContain("<td>Test laptop</td>");
    const again = await owner.post("/console/settings/passkeys", { name: "Replayed", response: answer });
    expect(again.status).toBe(400);
    expect(owner.lastBody).toContain("expired or was already used");
  });

  it("refuses an answer made for another origin, and garbage, as a page (never a 500)", async () => {
    await owner.get("/console/settings/passkeys");
    const other = new SoftwareAuthenticator(ORIGIN);
    const opts = await options(owner, "/console/settings/passkeys/options");
    const phished = await owner.post("/console/settings/passkeys", { name: "Phished", response: JSON.stringify(await other.register(opts, { origin: "https://evil.example" })) });
    expect(phished.status).toBe(400);
    expect(owner.lastBody).toContain("The passkey was not accepted");
    expect((await owner.post("/console/settings/passkeys", { name: "Junk", response: "{not json" })).status).toBe(400);
    expect(owner.lastBody).toContain("could not be read");
    const count = await database(testEnv).$client.execute({ sql: "SELECT count(*) AS n FROM member_passkeys WHERE org_id = ?", args: [org.id] });
    expect(Number(count.rows[0]!.n)).toBe(1);
  });
});

describe("signing in with a passkey", () => {
  it("signs in the passkey's member without a password; the same answer cannot be used twice", async () => {
    const browser = await signInPage();
    const opts = await options(browser, "/console/sign-in/passkey/options");
    const answer = JSON.stringify(await authenticator.authenticate(opts));
    const res = await browser.post("/console/sign-in/passkey", { response: answer });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
    expect((await browser.get("/console")).status).toBe(200);
    expect(browser.lastBody).toContain(`${org.ownerEmail} (owner)`);
    const replay = await signInPage();
    expect((await replay.post("/console/sign-in/passkey", { response: answer })).status).toBe(401);
    expect(replay.lastBody).toContain("expired or was already used");
    await owner.get("/console/settings/audit");
    expect(owner.lastBody).toContain("passkey.add");
    expect(owner.lastBody).toContain("with: passkey");
  });

  it("refuses a challenge another browser asked for, a wrong RP ID, and a signature that does not match", async () => {
    const asker = await signInPage();
    const opts = await options(asker, "/console/sign-in/passkey/options");
    const thief = await signInPage();
    expect((await thief.post("/console/sign-in/passkey", { response: JSON.stringify(await authenticator.authenticate(opts)) })).status).toBe(401);
    const wrongRp = await options(asker, "/console/sign-in/passkey/options");
    expect((await asker.post("/console/sign-in/passkey", { response: JSON.stringify(await authenticator.authenticate(wrongRp, { rpId: "evil.example" })) })).status).toBe(401);
    expect(asker.lastBody).toContain("The passkey was not accepted");
    const forged = await options(asker, "/console/sign-in/passkey/options");
    const answer = await authenticator.authenticate(forged);
    answer.response.signature = answer.response.signature.slice(0, -4) + (answer.response.signature.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await asker.post("/console/sign-in/passkey", { response: JSON.stringify(answer) })).status).toBe(401);
    expect((await asker.get("/console")).status).toBe(303); // still signed out
  });

  it("keeps challenges single use and short-lived", async () => {
    const db = database(testEnv);
    const owner = { purpose: "sign-in" as const, browser: "browser-a" };
    await storeChallenge(db, "challenge-expiring", owner, 1_000);
    expect(await takeChallenge(db, "challenge-expiring", owner, 1_000 + CHALLENGE_TTL_MS + 1)).toBe(false);
    await storeChallenge(db, "challenge-once", owner);
    expect(await takeChallenge(db, "challenge-once", { purpose: "sign-in", browser: "browser-b" })).toBe(false);
    expect(await takeChallenge(db, "challenge-once", { purpose: "register", memberId: "x" })).toBe(false);
    expect(await takeChallenge(db, "challenge-once", owner)).toBe(true);
    expect(await takeChallenge(db, "challenge-once", owner)).toBe(false);
  });
});

describe("the relying party", () => {
  it("is the console's host and origin; a loopback IP (the local stack) becomes localhost", () => {
    expect(relyingParty({ ORIGIN_BASE_URL: "https://console.example.edu" })).toEqual({ rpID: "console.example.edu", origin: "https://console.example.edu" });
    expect(relyingParty({ ORIGIN_BASE_URL: "http://127.0.0.1:8788" })).toEqual({ rpID: "localhost", origin: "http://localhost:8788" });
  });
});

describe("the passkey scripts", () => {
  it("are served same-origin: the vendored @simplewebauthn/browser bundle and the form script", async () => {
    const client = new ConsoleClient();
    const lib = await client.get("/console/assets/simplewebauthn-browser.js");
    expect(lib.headers.get("content-type")).toContain("text/javascript");
    expect(await lib.text()).toContain("SimpleWebAuthnBrowser");
    expect(await (await client.get("/console/assets/passkeys.js")).text()).toContain("startAuthentication");
  });
});

describe("removing a passkey", () => {
  it("only the member's own; a removed passkey no longer signs in", async () => {
    const { client: other } = await invitedClient(owner, "viewer");
    await other.get("/console/settings/passkeys");
    const path = `/console/settings/passkeys/${encodeURIComponent(authenticator.id)}/remove`;
    expect((await other.post(path)).status).toBe(404);
    await owner.get("/console/settings/passkeys");
    expect((await owner.post(path)).status).toBe(200);
    expect(owner.lastBody).toContain("You have no passkey yet.");
    const browser = await signInPage();
    const opts = await options(browser, "/console/sign-in/passkey/options");
    expect((await browser.post("/console/sign-in/passkey", { response: JSON.stringify(await authenticator.authenticate(opts)) })).status).toBe(401);
    expect(browser.lastBody).toContain("not registered");
  }, 30_000); // a sign-up (PBKDF2)
});
