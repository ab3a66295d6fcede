// The printable certificate through the real stack: GET /c/:id/certificate.pdf from the edge
// (rendered by the origin), read with poppler (pdfdetach lists and saves credential.jwt; pdftoppm
// renders the page, whose QR code jsQR decodes to the verify URL), verified by `laurel verify`;
// after a revocation the certificate is redrawn with a visible REVOKED mark.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt } from "../shared/cli/bundle.mjs";
import { assertNode20, runNode20 } from "../shared/cli/testing.ts";
import { createAchievement, createOrg, issueCredential, revokeCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/laurel.mjs", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: RunningStack;
let dir: string;
let apiKey: string;
let credential: IssuedCredential;
/** The active certificate's share of red pixels (its badge's generated colours may include red). */
let activeRed = 0;

/** Renders page 1 at 150 dpi with poppler's pdftoppm. */
async function renderPage(pdf: string, name: string): Promise<PNG> {
  await run("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdf, join(dir, name)]);
  return PNG.sync.read(await readFile(join(dir, `${name}.png`)));
}

/** Share of clearly red pixels on a rendered page (the REVOKED mark and note are the only red). */
function redShare(page: PNG): number {
  let red = 0;
  for (let i = 0; i < page.data.length; i += 4) if (page.data[i]! > page.data[i + 1]! + 40 && page.data[i]! > page.data[i + 2]! + 40) red++;
  return red / (page.width * page.height);
}

/** The certificate once the edge serves it (the first request may have the origin render it). */
async function certificate(id: string, until: (res: Response) => boolean = () => true): Promise<{ res: Response; bytes: Uint8Array<ArrayBuffer> }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await fetch(`${stack.edgeUrl}/c/${id}/certificate.pdf`);
    if (res.status === 200 && until(res)) return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
    await res.arrayBuffer();
    if (Date.now() > deadline) throw new Error(`certificate not served as expected: last status ${res.status}`);
    await sleep(1000);
  }
}

beforeAll(async () => {
  assertNode20();
  await ensureCliBuilt();
  dir = await mkdtemp(join(tmpdir(), "laurel-certificate-"));
  stack = await startStack();
  const org = await createOrg(stack, "Université de Laurel", `cert-${crypto.randomUUID().slice(0, 8)}`);
  apiKey = org.apiKey;
  const achievement = await createAchievement(stack, apiKey, { name: "Printable Proofs", description: "Issued a certificate that verifies itself.", criteria: { narrative: "Print it." } });
  credential = await issueCredential(stack, apiKey, { achievementId: achievement.id, recipient: { name: "Zoë Дмитриева", email: "zoe@example.edu" } });
});

afterAll(async () => {
  await stack?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("GET /c/:id/certificate.pdf through the stack", () => {
  it("serves a PDF whose embedded credential.jwt poppler extracts and `laurel verify` accepts, with a QR code to the verify URL", async () => {
    const { res, bytes } = await certificate(credential.id);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe('inline; filename="printable-proofs-certificate.pdf"');
    expect(bytes.length).toBeLessThan(200_000);
    const pdf = join(dir, "certificate.pdf");
    await writeFile(pdf, bytes);

    const { stdout: listed } = await run("pdfdetach", ["-list", pdf]);
    expect(listed).toMatch(/1 embedded files\s+1: credential\.jwt/);
    const saved = join(dir, "saved");
    await run("mkdir", ["-p", saved]);
    await run("pdfdetach", ["-saveall", "-o", saved, pdf]);
    expect(await readFile(join(saved, "credential.jwt"), "utf8")).toBe(credential.jwt);

    const page = await renderPage(pdf, "page");
    activeRed = redShare(page);
    const qr = jsQR(new Uint8ClampedArray(page.data.buffer, page.data.byteOffset, page.data.length), page.width, page.height);
    expect(qr?.data).toBe(credential.verifyUrl);
    const { stdout: text } = await run("pdftotext", ["-layout", pdf, "-"]);
    expect(text).toContain("Zoë Дмитриева");
    expect(text).toContain(credential.verifyUrl);
    expect(text).not.toMatch(/revoked/i);

    const verified = await runNode20(BIN, ["verify", pdf]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^VALID/);

    const posted = await fetch(`${stack.edgeUrl}/api/v1/verify`, { method: "POST", headers: { "content-type": "application/pdf" }, body: bytes });
    expect(await posted.json()).toMatchObject({ verified: true, status: "valid" });
  });

  it("after a revocation serves a certificate with a visible REVOKED mark and the reason", async () => {
    await revokeCredential(stack, apiKey, credential.id, "Issued in error");
    const { res, bytes } = await certificate(credential.id, (r) => (r.headers.get("etag") ?? "").endsWith('-r"'));
    expect(res.status).toBe(200);
    const pdf = join(dir, "revoked.pdf");
    await writeFile(pdf, bytes);
    // The rotated mark comes out of pdftotext as scattered letters: check the note, and red on the page.
    const { stdout: text } = await run("pdftotext", ["-layout", pdf, "-"]);
    expect(text).toMatch(/Revoked on \d{4}-\d{2}-\d{2}: Issued in error/);
    // The REVOKED mark adds more than 1 % of the page in red to whatever the badge shows.
    expect(redShare(await renderPage(pdf, "revoked")) - activeRed).toBeGreaterThan(0.01);
    // The certificate comes from the credential's projection, the CLI reads the signed status list:
    // each reaches the edge on its own path, so the CLI is asked again until the list has caught up.
    const deadline = Date.now() + 30_000;
    let verified = await runNode20(BIN, ["verify", pdf]);
    while (verified.code === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      verified = await runNode20(BIN, ["verify", pdf]);
    }
    expect(verified.code, verified.stdout + verified.stderr).toBe(1);
    expect(verified.stdout).toMatch(/^REVOKED/);
  });
});
