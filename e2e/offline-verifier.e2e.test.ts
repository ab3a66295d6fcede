// The offline verifier as a stranger gets it: downloaded from the edge (GET /laurel-verify.mjs),
// saved to a temp folder and run with Node 20 against a badge, the issuer's did.json and the status
// list, all fetched from the real local stack beforehand.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakePng, extractFromPng } from "../shared/bake/png.ts";
import { assertNode20, runNode20 } from "../shared/cli/testing.ts";
import { decodeCompactJws } from "../shared/vc-jwt/parse.ts";
import { createAchievement, createOrg, issueCredential, revokeCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let dir: string;
let script: string;
let slug: string;
let apiKey: string;
let valid: IssuedCredential;
let toRevoke: IssuedCredential;

/** GET from the edge until it answers 200 (projections arrive through the queue), then the body. */
async function download(path: string): Promise<Uint8Array> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${stack.edgeUrl}${path}`);
    if (res.status === 200) return new Uint8Array(await res.arrayBuffer());
    if (Date.now() > deadline) throw new Error(`GET ${path} still answers ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function save(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** The status list URL the credential points at, relative to the edge. */
function statusListPath(jwt: string): string {
  const decoded = decodeCompactJws(jwt);
  if (typeof decoded === "string") throw new Error(decoded);
  const status = decoded.payload.credentialStatus as { statusListCredential: string };
  return new URL(status.statusListCredential).pathname;
}

beforeAll(async () => {
  assertNode20();
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), "laurel-offline-"));
  slug = `offline-${crypto.randomUUID().slice(0, 8)}`;
  const org = await createOrg(stack, "Offline Academy", slug);
  apiKey = org.apiKey;
  const achievement = await createAchievement(stack, apiKey, {
    name: "Field Verification",
    description: "Checked credentials with no network.",
    criteria: { narrative: "Verified ten badges offline." },
  });
  valid = await issueCredential(stack, apiKey, { achievementId: achievement.id, recipient: { name: "Ada Lovelace", email: "ada@example.com" } });
  toRevoke = await issueCredential(stack, apiKey, { achievementId: achievement.id, recipient: { name: "Eve Mallory", email: "eve@example.com" } });

  const res = await fetch(`${stack.edgeUrl}/laurel-verify.mjs`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
  script = await save("laurel-verify.mjs", await res.text());
});

afterAll(async () => {
  await stack?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("laurel-verify.mjs from the edge, run with Node 20", () => {
  it("verifies a baked badge offline with --trust (exit 0), and fails a tampered one (exit 1)", async () => {
    const badge = await download(`/c/${valid.id}/badge.png`);
    const badgePath = await save("badge.png", badge);
    const didPath = await save("did.json", await download(`/issuers/${slug}/did.json`));
    const listPath = await save("status.jwt", await download(statusListPath(valid.jwt)));

    const ok = await runNode20(script, [badgePath, "--trust", didPath, "--trust", listPath]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^VALID/);
    expect(ok.stdout).toContain("Ada Lovelace");
    expect(ok.stdout).toContain("Field Verification");
    expect(ok.stdout).toContain("checks (trusted files only)");

    // Same badge, same signature, one claim changed: a well-formed PNG whose credential lies.
    const [head, payload, signature] = extractFromPng(badge).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    claims.credentialSubject.name = "Mallory Forger";
    const forged = `${head}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    const tamperedPath = await save("tampered.png", bakePng(badge, forged));

    const bad = await runNode20(script, [tamperedPath, "--trust", didPath, "--trust", listPath]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^INVALID/);
    expect(bad.stdout).not.toContain("Mallory Forger");
  });

  it("reports a revocation from a status list downloaded after it (exit 1)", async () => {
    await revokeCredential(stack, apiKey, toRevoke.id, "Issued by mistake");
    const jwtPath = await save("revoked.jwt", toRevoke.jwt);
    const didPath = await save("did-2.json", await download(`/issuers/${slug}/did.json`));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const listPath = await save("status-2.jwt", await download(statusListPath(toRevoke.jwt)));
      const r = await runNode20(script, ["verify", jwtPath, "--trust", didPath, "--trust", listPath]);
      if (r.code === 1 && r.stdout.startsWith("REVOKED")) break;
      expect(r.code, r.stdout + r.stderr).toBe(0); // still the list from before the revocation
      if (Date.now() > deadline) throw new Error("the status list never showed the revocation");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  it("without --trust fetches the credential, did.json and status list from the stack's loopback URLs (exit 0)", async () => {
    const r = await runNode20(script, [valid.verifyUrl, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: true, status: "valid", credential: { recipientName: "Ada Lovelace" } });
  });
});
