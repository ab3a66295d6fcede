// `main` in-process, with its network getter and globalThis.fetch both replaced by tripwires:
// proves that with --trust the CLI sends nothing, whatever the credential points at.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildDidDocument } from "../keys/did-document.ts";
import { credentialInput, issue, makeIssuer, signedList, type TestIssuer } from "../testing/fixtures.ts";
import type { VerificationResult } from "../verify/types.ts";
import { main, type CliDeps } from "./main.ts";

let dir: string;
let issuer: TestIssuer;
const paths: Record<string, string> = {};

/** Runs main with captured output and a network getter that records each URL and refuses it. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const requested: string[] = [];
  const deps: CliDeps = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    get: async (url) => {
      requested.push(url);
      throw new Error(`network used: ${url}`);
    },
  };
  const code = await main(argv, deps);
  return { code, out: out.join("\n"), err: err.join("\n"), requested };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "laurel-main-"));
  issuer = await makeIssuer();
  const { jwt } = await issue(issuer, credentialInput(issuer));
  for (const [name, content] of Object.entries({
    "credential.jwt": jwt,
    "did.json": JSON.stringify(buildDidDocument(issuer.did, [issuer.key.publicJwk])),
    "list.jwt": await signedList(issuer),
  })) {
    paths[name] = join(dir, name);
    await writeFile(paths[name]!, content);
  }
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("main with --trust", () => {
  const fetchCalls: unknown[] = [];
  beforeAll(() => {
    vi.stubGlobal("fetch", (...args: unknown[]) => {
      fetchCalls.push(args);
      return Promise.reject(new Error("fetch called"));
    });
  });
  afterEach(() => expect(fetchCalls).toEqual([]));
  afterAll(() => vi.unstubAllGlobals());

  it("verifies from the trusted files alone: exit 0, no request", async () => {
    const r = await run(["verify", paths["credential.jwt"]!, "--trust", paths["did.json"]!, "--trust", paths["list.jwt"]!]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^VALID/);
    expect(r.requested).toEqual([]);
  });

  it("reports the status no file answers as unknown rather than fetching the list: exit 1, no request", async () => {
    const r = await run(["verify", paths["credential.jwt"]!, "--trust", paths["did.json"]!, "--json"]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as VerificationResult).status).toBe("unknown");
    expect(r.requested).toEqual([]);
  });
});

describe("main without --trust", () => {
  it("asks the network for the issuer's DID document (the tripwire above would have seen it)", async () => {
    const r = await run(["verify", paths["credential.jwt"]!, "--json"]);
    expect(r.requested).toEqual(["https://badges.example.org/issuers/acme/did.json"]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as VerificationResult).status).toBe("unknown");
  });
});
