// Spawns `node bin/laurel.mjs` with Node 20 (the oldest supported; it runs the one-file build)
// against temp files and a local HTTP server standing in for the edge.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCredential } from "../credential/build.ts";
import { bakePng } from "../bake/png.ts";
import { pdfLibWithAttachment } from "../bake/pdf-fixtures.ts";
import { buildDidDocument, buildJwks } from "../keys/did-document.ts";
import { issuerDid } from "../keys/did-web.ts";
import { generateIssuerKey, type IssuerKeyPair } from "../keys/generate.ts";
import { createBitstring, setBit } from "../status-list/bitstring.ts";
import { signStatusList } from "../status-list/credential.ts";
import { signCredentialJwt } from "../vc-jwt/sign.ts";
import { credentialInput, makeIssuer } from "../testing/fixtures.ts";
import { ensureCliBuilt } from "./bundle.mjs";
import { assertNode20, runNode20 } from "./testing.ts";
import type { VerificationResult } from "../verify/types.ts";

const BIN = fileURLToPath(new URL("../../bin/laurel.mjs", import.meta.url));
const PNG_1x1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

function laurel(args: string[], stdin?: string) {
  return runNode20(BIN, args, stdin);
}

let dir: string;
const HOSTILE_NAME = "Award \u202eTXT.exe\u202c\r\n  VALID";
const files: Record<string, string> = {};

async function write(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  files[name] = path;
  return path;
}

beforeAll(async () => {
  assertNode20();
  await ensureCliBuilt(); // once, before the parallel runs below would each build it
  dir = await mkdtemp(join(tmpdir(), "laurel-cli-"));
  const issuer = await makeIssuer();
  const key = { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk };
  const credential = await buildCredential(credentialInput(issuer));
  const jwt = await signCredentialJwt(credential, key);
  const listUrl = credential.credentialStatus.statusListCredential;
  const clean = createBitstring();
  const revoked = createBitstring();
  setBit(revoked, 42);
  const validFrom = new Date(Date.now() - 3600_000);
  await write("credential.jwt", jwt);
  await write("badge.png", bakePng(PNG_1x1, jwt));
  await write("did.json", JSON.stringify(buildDidDocument(issuer.did, [issuer.key.publicJwk])));
  await write("jwks.json", JSON.stringify(buildJwks(issuer.did, [issuer.key.publicJwk])));
  await write("list-clean.jwt", await signStatusList({ listUrl, issuer: issuer.did, bits: clean, validFrom }, key));
  await write("list-revoked.jwt", await signStatusList({ listUrl, issuer: issuer.did, bits: revoked, validFrom }, key));
  await write("plain.png", PNG_1x1);
  const [head, payload, signature] = jwt.split(".");
  const forged = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), name: "Forged Honours" };
  await write("tampered.jwt", `${head}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`);
  await write("certificate.pdf", await pdfLibWithAttachment(jwt));
  await write("tampered-certificate.pdf", await pdfLibWithAttachment(`${head}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`));
  await write("no-credential.pdf", await pdfLibWithAttachment(jwt, { name: "notes.txt" }));
  const expired = await buildCredential(
    credentialInput(issuer, { validFrom: new Date(Date.now() - 2 * 86400_000), validUntil: new Date(Date.now() - 86400_000) }),
  );
  await write("expired.jwt", await signCredentialJwt(expired, key));
  const hostileCredential = await buildCredential(
    credentialInput(issuer, { recipient: { name: "Eve\u001b[2J\u001b]0;pwned\u0007", email: "eve@example.com" } }),
  );
  hostileCredential.name = HOSTILE_NAME;
  await write("hostile.jwt", await signCredentialJwt(hostileCredential, key));
  await write("garbage.bin", new Uint8Array([0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]));
  await write("not-trust.txt", "hello");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("laurel verify with --trust (offline)", () => {
  it("exits 0 for a valid credential with the issuer's did.json and a clean status list", async () => {
    const r = await laurel(["verify", files["credential.jwt"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
    expect(r.stdout).toContain("Ada Lovelace");
    expect(r.stdout).toContain("Intro to Cryptography");
  });

  it("exits 1 and says REVOKED when the trusted status list has the bit set", async () => {
    const r = await laurel(["verify", files["credential.jwt"]!, "--trust", files["jwks.json"]!, "--trust", files["list-revoked.jwt"]!]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^REVOKED/);
  });

  it("reports status unknown (exit 1) when no trusted file answers the status, with signature and dates checked", async () => {
    const r = await laurel(["verify", files["credential.jwt"]!, "--trust", files["did.json"]!, "--json"]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as VerificationResult;
    expect(result.status).toBe("unknown");
    expect(result.verified).toBe(false);
    const byName = Object.fromEntries(result.checks.map((c) => [c.name, c.ok]));
    expect(byName).toMatchObject({ signature: true, valid_from: true, valid_until: true, status: false });
  });

  it("exits 1 and says INVALID for a credential whose payload was altered after signing", async () => {
    const r = await laurel(["verify", files["tampered.jwt"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^INVALID/);
    expect(r.stdout).toMatch(/FAIL\s+signature/);
  });

  it("exits 1 and says EXPIRED for a correctly signed credential past its validUntil", async () => {
    const r = await laurel(["verify", files["expired.jwt"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^EXPIRED/);
    expect(r.stdout).toMatch(/ok\s+signature/);
  });

  it("prints terminal controls and bidi overrides from the credential as visible escapes", async () => {
    const r = await laurel(["verify", files["hostile.jwt"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stdout).toContain("Eve\\u{001B}[2J\\u{001B}]0;pwned\\u{0007}");
    expect(r.stdout).toContain("Award \\u{202E}TXT.exe\\u{202C}\\u{000D}\\u{000A}  VALID");
    const json = await laurel(["verify", files["hostile.jwt"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!, "--json"]);
    expect(json.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect((JSON.parse(json.stdout) as VerificationResult).credential?.name).toBe(HOSTILE_NAME);
  });

  it("accepts the input without the command word, as the standalone laurel-verify.mjs is used", async () => {
    const r = await laurel([files["badge.png"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
  });

  it("verifies the credential embedded in a certificate PDF (exit 0); a tampered embedded credential exits 1", async () => {
    const r = await laurel(["verify", files["certificate.pdf"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
    const tampered = await laurel(["verify", files["tampered-certificate.pdf"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/FAIL\s+signature/);
  });

  it("--json prints a VerificationResult", async () => {
    const r = await laurel(["verify", files["badge.png"]!, "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!, "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as VerificationResult;
    expect(Object.keys(result).sort()).toEqual(["checks", "credential", "proof", "status", "verified"]);
    expect(result.proof).toBe("vc-jwt");
    expect(result).toMatchObject({ verified: true, status: "valid", credential: { recipientName: "Ada Lovelace" } });
    expect(result.checks.length).toBe(12);
    expect(result.checks.every((c) => typeof c.name === "string" && typeof c.ok === "boolean")).toBe(true);
  });

  it("reads the credential from standard input", async () => {
    const jwt = (await import("node:fs")).readFileSync(files["credential.jwt"]!, "utf8");
    const r = await laurel(["verify", "-", "--trust", files["did.json"]!, "--trust", files["list-clean.jwt"]!], jwt);
    expect(r.code).toBe(0);
  });

  it("reports a credential signed by an untrusted key as unknown (keys not available), exit 1", async () => {
    const stranger = await makeIssuer("stranger");
    const path = await write("stranger.jwt", (await signCredentialJwt(await buildCredential(credentialInput(stranger)), {
      keyId: stranger.key.keyId,
      privateKey: stranger.key.privateJwk,
    })));
    const r = await laurel(["verify", path, "--trust", files["did.json"]!, "--json"]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as VerificationResult).status).toBe("unknown");
  });
});

describe("laurel exits 2 on unusable input or arguments", () => {
  const cases: [string, () => string[]][] = [
    ["garbage input", () => ["verify", files["garbage.bin"]!]],
    ["a missing file", () => ["verify", join(dir, "nope.jwt")]],
    ["a PNG without a credential", () => ["verify", files["plain.png"]!, "--json"]],
    ["a PDF without a credential", () => ["verify", files["no-credential.pdf"]!, "--json"]],
    ["a bad trust file", () => ["verify", files["credential.jwt"]!, "--trust", files["not-trust.txt"]!]],
    ["no arguments", () => []],
    ["an unknown option", () => ["verify", files["credential.jwt"]!, "--frobnicate"]],
    ["an unknown command", () => ["sign", files["credential.jwt"]!]],
    ["two inputs", () => ["verify", files["credential.jwt"]!, files["badge.png"]!]],
    ["--trust without a file", () => ["verify", files["credential.jwt"]!, "--trust"]],
    ["an empty --trust", () => ["verify", files["credential.jwt"]!, "--trust="]],
    ["--json with a value", () => ["verify", files["credential.jwt"]!, "--json=yes"]],
  ];
  for (const [label, args] of cases) {
    it(label, async () => {
      const r = await laurel(args());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^laurel: /);
      expect(r.stdout).toBe("");
    });
  }
});

describe("laurel verify without --trust (fetches did:web and the status list)", () => {
  let server: Server;
  let base: string;
  let key: IssuerKeyPair;
  let did: string;
  const routes = new Map<string, { type: string; body: string | Uint8Array }>();
  let credentialId: string;
  let privateListId: string;
  let requests = 0;
  let localJwt: string;
  let localDid: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      const route = routes.get(req.url ?? "");
      if (!route) return void res.writeHead(404).end("not found");
      res.writeHead(200, { "content-type": route.type }).end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    did = issuerDid(base, "acme");
    key = await generateIssuerKey();
    const signing = { keyId: key.keyId, privateKey: key.privateJwk };
    const issuer = { did, name: "Acme", key, jwks: { keys: [] }, resolveIssuerKeys: () => null };
    const credential = await buildCredential(
      credentialInput(issuer, { status: { statusListCredential: `${base}/status/1`, statusListIndex: 7 } }),
    );
    credentialId = credential.id.replace("urn:uuid:", "");
    const bits = createBitstring();
    setBit(bits, 8);
    localJwt = await signCredentialJwt(credential, signing);
    routes.set(`/c/${credentialId}.jwt`, { type: "application/vc+jwt", body: localJwt });
    localDid = await write("local-did.json", JSON.stringify(buildDidDocument(did, [key.publicJwk])));
    const onPrivateList = await buildCredential(
      credentialInput(issuer, { status: { statusListCredential: "https://10.0.0.7/status/1", statusListIndex: 7 } }),
    );
    privateListId = onPrivateList.id.replace("urn:uuid:", "");
    routes.set(`/c/${privateListId}.jwt`, { type: "application/vc+jwt", body: await signCredentialJwt(onPrivateList, signing) });
    routes.set("/issuers/acme/did.json", { type: "application/did+json", body: JSON.stringify(buildDidDocument(did, [key.publicJwk])) });
    routes.set("/status/1", {
      type: "application/vc+jwt",
      body: await signStatusList({ listUrl: `${base}/status/1`, issuer: did, bits, validFrom: new Date(Date.now() - 60_000) }, signing),
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("verifies a /c/<id> page URL by fetching <url>.jwt, the DID document and the status list", async () => {
    const r = await laurel(["verify", `${base}/c/${credentialId}`, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as VerificationResult;
    expect(result.status).toBe("valid");
    expect(result.credential?.issuer.id).toBe(did);
  });

  it("is unknown (exit 1) when the status list cannot be fetched", async () => {
    const list = routes.get("/status/1")!;
    routes.delete("/status/1");
    try {
      const r = await laurel(["verify", `${base}/c/${credentialId}.jwt`, "--json"]);
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout) as VerificationResult;
      expect(result.status).toBe("unknown");
      expect(result.reason).toMatch(/404/);
    } finally {
      routes.set("/status/1", list);
    }
  });

  it("refuses to fetch a status list from a private address: status unknown, exit 1", async () => {
    const r = await laurel(["verify", `${base}/c/${privateListId}`, "--json"]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as VerificationResult;
    expect(result.status).toBe("unknown");
    expect(result.reason).toContain("10.0.0.7 is a private address");
  });

  it("with --trust sends no request at all, though the credential names this server for keys and status", async () => {
    const path = await write("local.jwt", localJwt);
    const before = requests;
    const trusted = await laurel(["verify", path, "--trust", localDid, "--json"]);
    expect(trusted.code).toBe(1); // no trusted file answers the status
    expect((JSON.parse(trusted.stdout) as VerificationResult).status).toBe("unknown");
    expect(requests).toBe(before);
    const fetched = await laurel(["verify", path, "--json"]); // the same file without --trust does ask
    expect(fetched.code).toBe(0);
    expect(requests).toBeGreaterThan(before);
  });

  it("exits 2 when the credential URL does not answer", async () => {
    const r = await laurel(["verify", `${base}/c/00000000-0000-0000-0000-000000000000`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/404/);
  });
});
