// Verifier interop: unsecured or self-keyed tokens that are JWT-shaped are credentials that fail
// verification (status "invalid", the failing check named; CLI exit 1), not unusable input
// (exit 2). RFC 8725 strictness stays: none of them is ever valid.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { base64url, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDidDocument } from "../keys/did-document.ts";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";
import { extractCredentialInput } from "./input.ts";
import type { VerificationResult } from "./types.ts";
import { verifyCredential } from "./verify-credential.ts";

const BIN = fileURLToPath(new URL("../../bin/laurel.mjs", import.meta.url));
const text = new TextEncoder();
const b64json = (value: unknown) => base64url.encode(text.encode(JSON.stringify(value)));

// Signs `header.payload` by hand: jose refuses to produce most of these tokens (RFC 7515 §5.1).
async function signed(issuer: TestIssuer, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const key = (await importJWK(issuer.key.privateJwk, "ES256")) as CryptoKey;
  const input = `${b64json(header)}.${b64json(payload)}`;
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, text.encode(input));
  return `${input}.${base64url.encode(new Uint8Array(sig))}`;
}

interface Case {
  name: string;
  jwt: string;
  check: string;
  detail: RegExp;
}

let issuer: TestIssuer;
let cases: Case[];
let dir: string;

beforeAll(async () => {
  issuer = await makeIssuer("interop");
  const { jwt } = await issue(issuer);
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!))) as Record<string, unknown>;
  const kid = `${issuer.did}#${issuer.key.keyId}`;
  const base = { alg: "ES256", typ: "JWT", kid };
  const { d: _private, ...publicJwk } = issuer.key.privateJwk as Record<string, unknown>;
  cases = [
    { name: "alg none, empty signature", jwt: `${b64json({ alg: "none", typ: "JWT", kid })}.${b64json(payload)}.`, check: "algorithm", detail: /"none" not allowed/ },
    { name: "crit b64 false", jwt: await signed(issuer, { ...base, crit: ["b64"], b64: false }, payload), check: "header", detail: /crit, b64/ },
    { name: "embedded jwk", jwt: await signed(issuer, { ...base, jwk: publicJwk }, payload), check: "header", detail: /jwk not accepted/ },
    { name: "jku", jwt: await signed(issuer, { ...base, jku: "https://attacker.example/jwks.json" }, payload), check: "header", detail: /jku/ },
    { name: "x5u", jwt: await signed(issuer, { ...base, x5u: "https://attacker.example/cert.pem" }, payload), check: "header", detail: /x5u/ },
    { name: "x5c", jwt: await signed(issuer, { ...base, x5c: ["MIIBszCCAVmgAwIBAgIUQ"] }, payload), check: "header", detail: /x5c/ },
  ];
  dir = await mkdtemp(join(tmpdir(), "laurel-unsecured-"));
  await writeFile(join(dir, "did.json"), JSON.stringify(buildDidDocument(issuer.did, [issuer.key.publicJwk])));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function laurel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("unsecured and self-keyed JWT-shaped tokens", () => {
  it("are extracted as JWTs, not refused as unsupported input", () => {
    for (const c of cases) expect(extractCredentialInput(c.jwt), c.name).toEqual({ ok: true, jwt: c.jwt, format: "jwt" });
  });

  it("verify as invalid, naming the failing check, even though the signature itself is the issuer's", async () => {
    for (const c of cases) {
      const r = await verifyCredential(c.jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) });
      expect(r, c.name).toMatchObject({ verified: false, status: "invalid" });
      const failed = r.checks.filter((k) => !k.ok);
      expect(failed.map((k) => k.name), c.name).toEqual([c.check]);
      expect(failed[0]!.detail, c.name).toMatch(c.detail);
      expect(r.checks.some((k) => k.name === "signature"), c.name).toBe(false); // no key was ever looked up
    }
  });

  it("accepts typ JWT and vc+jwt alike, and the same token without the refused parameter verifies", async () => {
    const { jwt } = await issue(issuer);
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!))) as Record<string, unknown>;
    const opts = { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) };
    for (const typ of ["JWT", "vc+jwt", "application/vc+jwt"]) {
      const token = await signed(issuer, { alg: "ES256", typ, kid: `${issuer.did}#${issuer.key.keyId}` }, payload);
      expect((await verifyCredential(token, opts)).status, typ).toBe("valid");
    }
  });

  it("the CLI exits 1 with a JSON VerificationResult for each (exit 2 is for unusable input)", { timeout: 120_000 }, async () => {
    for (const c of cases) {
      const file = join(dir, `${c.name.replace(/\W+/g, "-")}.jwt`);
      await writeFile(file, c.jwt);
      const r = await laurel(["verify", file, "--trust", join(dir, "did.json"), "--json"]);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(1);
      const result = JSON.parse(r.stdout) as VerificationResult;
      expect(result, c.name).toMatchObject({ verified: false, status: "invalid" });
      expect(result.checks.find((k) => !k.ok)?.name, c.name).toBe(c.check);
    }
    const garbage = join(dir, "garbage.txt");
    await writeFile(garbage, "a.".repeat(1000));
    expect((await laurel(["verify", garbage, "--trust", join(dir, "did.json"), "--json"])).code).toBe(2);
  });
});
