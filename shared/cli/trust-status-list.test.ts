// `laurel verify --trust` with status lists as other issuers' software may sign them (no `sub`) and
// with validity periods: spawns `node bin/laurel.mjs` (what users run) against temp files.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDidDocument } from "../keys/did-document.ts";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";
import { signListJwt, type ListJwtInput } from "../testing/status-list-jwts.ts";
import type { VerificationResult } from "../verify/types.ts";

const BIN = fileURLToPath(new URL("../../bin/laurel.mjs", import.meta.url));
const INDEX = 42; // the fixtures' credentials sit at index 42 of their list
// Each spawn starts Node and strips types: seconds on a busy machine, not a speed check.
const SPAWNS = { timeout: 60_000 };

function laurel(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout });
    });
  });
}

let dir: string;
let issuer: TestIssuer;
let credentialFile: string;
let didFile: string;
let listUrl: string;

async function listFile(name: string, over: Partial<ListJwtInput>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, await signListJwt({ listUrl, issuerDid: issuer.did, key: issuer.key, ...over }));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "laurel-cli-lists-"));
  issuer = await makeIssuer();
  const { credential, jwt } = await issue(issuer);
  listUrl = credential.credentialStatus.statusListCredential;
  credentialFile = join(dir, "credential.jwt");
  didFile = join(dir, "did.json");
  await writeFile(credentialFile, jwt);
  await writeFile(didFile, JSON.stringify(buildDidDocument(issuer.did, [issuer.key.publicJwk])));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("laurel verify --trust <status list without sub>", () => {
  it("is valid when the bit is clear and says when the list was signed", SPAWNS, async () => {
    const validFrom = "2026-11-20T08:30:00Z";
    const list = await listFile("clean.jwt", { withSub: false, validFrom, revoked: [INDEX + 1] });
    const run = await laurel(["verify", credentialFile, "--trust", didFile, "--trust", list]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^VALID/);
    expect(run.stdout).toContain(`not revoked as of ${validFrom}`);
  });

  it("is revoked when the bit is set", SPAWNS, async () => {
    const list = await listFile("revoked.jwt", { withSub: false, revoked: [INDEX] });
    const run = await laurel(["verify", credentialFile, "--trust", didFile, "--trust", list, "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verified: false, status: "revoked" });
  });
});

describe("laurel verify --trust <expired status list>", () => {
  it("is unknown, naming when the list expired", SPAWNS, async () => {
    const validUntil = "2026-01-08T00:00:00Z";
    const list = await listFile("expired.jwt", { validFrom: "2026-01-01T00:00:00Z", validUntil });
    const run = await laurel(["verify", credentialFile, "--trust", didFile, "--trust", list, "--json"]);
    expect(run.code).toBe(1);
    const result: VerificationResult = JSON.parse(run.stdout);
    expect(result).toMatchObject({ verified: false, status: "unknown", reason: `status list expired at ${validUntil}` });
    const human = await laurel(["verify", credentialFile, "--trust", didFile, "--trust", list]);
    expect(human.stdout).toMatch(/^UNKNOWN.*status list expired at 2026-01-08T00:00:00Z/);
  });
});
