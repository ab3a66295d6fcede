// Demo data for `npm start`: one org, achievement and credential, created idempotently through
// the origin's HTTP API. What was made is remembered in `<dataDir>/demo.json` (mode 0600: it holds
// the demo API key), so restarts reuse the same key, achievement and credential.
import fs from "node:fs";
import path from "node:path";
import type { StackConfig } from "./config.ts";
import { completeOwnerSetup, DEMO_OWNER, demoOwnerPassword } from "./console-owner.ts";

export interface DemoSeed {
  orgSlug: string;
  apiKey: string;
  credentialId: string;
  verifyUrl: string;
  /** The console sign-in of the demo org's owner; absent for a data folder made before the console. */
  console?: { url: string; email: string; password: string };
}

interface DemoState {
  orgSlug: string;
  apiKey?: string;
  achievementId?: string;
  credentialId?: string;
  /** Set once the demo owner has set their password. */
  consoleOwner?: string;
}

const ORG = { slug: "demo", name: "Laurel Demo University", url: "https://laurel.dev" };
const ACHIEVEMENT = {
  name: "Introduction to Verifiable Credentials",
  description: "Completed Laurel's introduction to Open Badges 3.0 and W3C Verifiable Credentials.",
  criteria: { narrative: "Issue, share and verify a digital credential." },
  tags: ["demo", "open-badges"],
};
const RECIPIENT = { name: "Ada Lovelace", email: "ada@example.edu" };
// Fixed key: a rerun within the idempotency window replays instead of issuing again; after it,
// the credential id remembered in demo.json prevents a second issuance.
const CREDENTIAL_IDEMPOTENCY_KEY = "laurel-demo-seed-credential-v1";

function stateFile(config: StackConfig): string {
  return path.join(config.dataDir, "demo.json");
}

function readState(config: StackConfig): DemoState {
  try {
    const parsed = JSON.parse(fs.readFileSync(stateFile(config), "utf8")) as DemoState;
    return parsed.orgSlug === ORG.slug ? parsed : { orgSlug: ORG.slug };
  } catch {
    return { orgSlug: ORG.slug };
  }
}

function writeState(config: StackConfig, state: DemoState): void {
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(stateFile(config), JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
}

async function api(config: StackConfig, method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${config.originUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}

function fail(step: string, res: { status: number; body: unknown }): never {
  throw new Error(`demo seed: ${step} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Seeds the demo through the origin API and returns what the banner prints. Safe to run on every start. */
export async function seedDemo(config: StackConfig): Promise<DemoSeed | null> {
  const state = readState(config);

  // 1. The org, or a working API key for it when it already exists.
  const created = await api(config, "POST", "/v1/orgs", config.adminToken, { ...ORG, owner: DEMO_OWNER });
  if (created.status === 201) {
    state.apiKey = String(created.body.apiKey);
    delete state.achievementId;
    delete state.credentialId;
    await completeOwnerSetup(String(created.body.ownerSetupUrl), demoOwnerPassword(config.dataDir));
    state.consoleOwner = DEMO_OWNER.email;
  } else if (created.status === 409) {
    const works = state.apiKey ? (await api(config, "GET", "/v1/keys", state.apiKey)).status === 200 : false;
    if (!works) {
      const added = await api(config, "POST", `/v1/orgs/${ORG.slug}/api-keys`, config.adminToken);
      if (added.status !== 201) fail("adding an API key to the demo org", added);
      state.apiKey = String(added.body.apiKey);
    }
  } else {
    fail("creating the demo org", created);
  }
  const apiKey = state.apiKey!;
  writeState(config, state);

  // 2. The achievement: the remembered one, else one with the demo name, else a new one.
  let achievementId = state.achievementId;
  if (!achievementId || (await api(config, "GET", `/v1/achievements/${achievementId}`, apiKey)).status !== 200) {
    const page = await api(config, "GET", "/v1/achievements?limit=100", apiKey);
    achievementId = (page.body?.data as { id: string; name: string }[] | undefined)?.find((a) => a.name === ACHIEVEMENT.name)?.id;
    if (!achievementId) {
      const made = await api(config, "POST", "/v1/achievements", apiKey, ACHIEVEMENT);
      if (made.status !== 201) fail("creating the demo achievement", made);
      achievementId = String(made.body.id);
    }
    state.achievementId = achievementId;
    writeState(config, state);
  }

  // 3. The credential: the remembered one if it still exists, else issue (idempotently).
  if (state.credentialId) {
    const existing = await api(config, "GET", `/v1/credentials/${state.credentialId}`, apiKey);
    if (existing.status === 200) {
      return { orgSlug: ORG.slug, apiKey, credentialId: state.credentialId, verifyUrl: String(existing.body.verifyUrl), console: consoleSignIn(config, state) };
    }
  }
  const issued = await api(config, "POST", "/v1/credentials", apiKey, { achievementId, recipient: RECIPIENT }, {
    "idempotency-key": CREDENTIAL_IDEMPOTENCY_KEY,
  });
  if (issued.status !== 201) fail("issuing the demo credential", issued);
  state.credentialId = String(issued.body.id);
  writeState(config, state);
  return { orgSlug: ORG.slug, apiKey, credentialId: state.credentialId, verifyUrl: String(issued.body.verifyUrl), console: consoleSignIn(config, state) };
}

function consoleSignIn(config: StackConfig, state: DemoState): DemoSeed["console"] {
  if (!state.consoleOwner) return undefined;
  return { url: `${config.originUrl}/console`, email: state.consoleOwner, password: demoOwnerPassword(config.dataDir) };
}
