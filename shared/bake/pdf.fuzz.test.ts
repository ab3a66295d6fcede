// Property tests of the PDF extractor (shared/bake/pdf.ts): any bytes end in a JWT string or a
// BakeError, never another exception; mutated certificates likewise; 1 MB hostile documents are
// refused (a quadratic or unbounded scanner hangs these tests; the per-test timeout bounds them).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BakeError } from "./errors.ts";
import { handWrittenPdf, pdfLibWithAttachment } from "./pdf-fixtures.ts";
import { extractFromPdf } from "./pdf.ts";

const RUNS = { numRuns: 300 };
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

function stringOrBakeError(fn: () => string): string | BakeError {
  try {
    const value = fn();
    expect(typeof value).toBe("string");
    return value;
  } catch (e) {
    if (e instanceof BakeError) return e;
    throw e;
  }
}

// Documents built from the tokens the reader treats specially, so the fuzzer reaches every branch.
const piece = fc.constantFrom(
  "%PDF-1.7\n", "1 0 obj", "2 0 obj", " ", "\n", "\r", "endobj", "stream\n", "\nendstream", "<<", ">>", "[", "]", "(", ")", "\\",
  "<", ">", "/EF", "/F", "/UF", "(credential.jwt)", "<FEFF0063>", "5 0 R", "/Length", " 12 ", "/Filter", "/FlateDecode",
  "/Type", "/ObjStm", "/N 2", "/First 4", "%", "#41", "/DecodeParms", "<< /Predictor 12 >>", "\u00ff", "x\u009c", "R", "-3", "1e9",
);
const document = fc.array(piece, { maxLength: 80 }).map((p) => ascii(`%PDF-1.7\n${p.join("")}`));

describe("PDF extraction, property-based", () => {
  let certificate: Uint8Array;
  beforeAll(async () => {
    certificate = await pdfLibWithAttachment("a.b.c");
  });

  it("any bytes or token soup yield a JWT string or a BakeError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void stringOrBakeError(() => extractFromPdf(bytes))), RUNS);
    fc.assert(fc.property(document, (bytes) => void stringOrBakeError(() => extractFromPdf(bytes))), RUNS);
  });

  it("any mutation of a certificate (bytes flipped, cut) yields a string or a BakeError", () => {
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat({ max: certificate.length - 1 }), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
      cut: fc.nat({ max: certificate.length }),
    });
    fc.assert(
      fc.property(mutation, ({ flips, cut }) => {
        const bytes = certificate.slice(0, Math.max(cut, 8));
        for (const [at, xor] of flips) if (at < bytes.length) bytes[at]! ^= xor;
        stringOrBakeError(() => extractFromPdf(bytes));
      }),
      RUNS,
    );
  });

  it("round-trips any credential text through hand-written and pdf-lib documents", async () => {
    const jwt = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{0,40}$/);
    fc.assert(fc.property(jwt, fc.boolean(), fc.boolean(), (text, flate, indirectLength) => void expect(extractFromPdf(handWrittenPdf(text, { flate, indirectLength }))).toBe(text)), RUNS);
    await fc.assert(fc.asyncProperty(jwt, async (text) => void expect(extractFromPdf(await pdfLibWithAttachment(text, { useObjectStreams: true }))).toBe(text)), { numRuns: 30 });
  });

  it("1 MB of each hostile repetition is refused with a code (linear scan)", { timeout: 30_000 }, () => {
    const patterns = [
      "[", "<<", "<< /A ", "(", "((", "\\", "<", "/", "%", "1 0 obj ", "1 0 obj << >> stream\n", "1 0 obj [ endobj\n",
      "1 0 obj 1 0 R 2 0 R ", "1 1 1 1 ", "1 0 obj << /EF << /F 1 0 R >> /F (credential.jwt) >> endobj\n", "e", "endstrea",
      "1 0 obj << /Type /ObjStm /N 99999 /First 0 >> stream\n0 0 endstream endobj\n", "1 0 obj << /Length 999999999 >> stream\n",
    ];
    for (const pattern of patterns) {
      const bytes = new TextEncoder().encode(`%PDF-1.7\n${pattern.repeat(Math.floor(1_000_000 / pattern.length))}`);
      expect(stringOrBakeError(() => extractFromPdf(bytes)), pattern).toBeInstanceOf(BakeError);
    }
  });
});
