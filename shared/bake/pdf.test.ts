// Reading the credential from certificate PDFs (shared/bake/pdf.ts): what pdf-lib writes, shapes
// other PDF writers produce, and every refusal code.
import { zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { BakeError } from "./errors.ts";
import { handWrittenPdf, pdfLibWithAttachment } from "./pdf-fixtures.ts";
import { extractFromPdf, isPdf, MAX_PDF_BYTES } from "./pdf.ts";

const JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6d2ViOmV4YW1wbGUifQ.c2lnbmF0dXJl";
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BakeError) return e.code;
    throw e;
  }
  return "no error";
}

describe("extractFromPdf", () => {
  it("reads credential.jwt from what pdf-lib writes, with and without object streams", async () => {
    expect(extractFromPdf(await pdfLibWithAttachment(JWT))).toBe(JWT);
    expect(extractFromPdf(await pdfLibWithAttachment(JWT, { useObjectStreams: true }))).toBe(JWT);
  });

  it("reads uncompressed and FlateDecode streams with direct or indirect /Length, literal or UTF-16 names", () => {
    for (const flate of [false, true])
      for (const indirectLength of [false, true])
        for (const hexName of [false, true]) {
          expect(extractFromPdf(handWrittenPdf(JWT, { flate, indirectLength, hexName })), JSON.stringify({ flate, indirectLength, hexName })).toBe(JWT);
        }
  });

  it("keeps compressed data that itself ends in CR or LF when /Length is indirect (the cut at endstream drops the EOL)", () => {
    // Found by the fuzz round trip. A zlib stream ends with the low byte of the data's Adler-32 sum,
    // so padding with "A" (65, coprime to 256) reaches every last byte within 256 steps.
    for (const last of [0x0a, 0x0d]) {
      let text = "";
      for (let i = 0; i < 512 && !text; i++) {
        const candidate = `${JWT}${"A".repeat(i)}`;
        const z = zlibSync(new TextEncoder().encode(candidate));
        if (z[z.length - 1] === last) text = candidate;
      }
      expect(text, `a text whose compressed form ends in ${last}`).not.toBe("");
      expect(extractFromPdf(handWrittenPdf(text, { flate: true, indirectLength: true }))).toBe(text);
    }
  });

  it("ignores other embedded files", async () => {
    expect(extractFromPdf(await pdfLibWithAttachment(JWT, { extra: ["notes.txt"] }))).toBe(JWT);
  });

  it("answers NO_CREDENTIAL when no embedded file is named credential.jwt", async () => {
    expect(codeOf(() => extractFromPdf(handWrittenPdf(JWT, { fileName: "other.jwt" })))).toBe("NO_CREDENTIAL");
    const other = await pdfLibWithAttachment(JWT, { name: "credential.txt" });
    expect(codeOf(() => extractFromPdf(other))).toBe("NO_CREDENTIAL");
  });

  it("answers DUPLICATE_CREDENTIAL for two embedded credential.jwt files", async () => {
    const two = await pdfLibWithAttachment(JWT, { extra: ["credential.jwt"] });
    expect(codeOf(() => extractFromPdf(two))).toBe("DUPLICATE_CREDENTIAL");
  });

  it("answers NOT_PDF for other bytes and TOO_LARGE past the size cap", () => {
    expect(isPdf(ascii("%PDF-1.7\n"))).toBe(true);
    expect(isPdf(ascii("PNG"))).toBe(false);
    expect(codeOf(() => extractFromPdf(ascii("<svg></svg>")))).toBe("NOT_PDF");
    expect(codeOf(() => extractFromPdf(new Uint8Array(MAX_PDF_BYTES + 1)))).toBe("TOO_LARGE");
  });

  it("answers MALFORMED_PDF for a document cut inside an object or a stream", () => {
    const whole = handWrittenPdf(JWT);
    const text = String.fromCharCode(...whole);
    expect(codeOf(() => extractFromPdf(whole.subarray(0, text.indexOf("/EF"))))).toBe("MALFORMED_PDF");
    expect(codeOf(() => extractFromPdf(whole.subarray(0, text.indexOf("endstream"))))).toBe("MALFORMED_PDF");
  });

  it("refuses a compressed credential that inflates past its cap (TOO_LARGE) and corrupt zlib data (MALFORMED_PDF)", () => {
    const bomb = zlibSync(new Uint8Array(4 * 1024 * 1024).fill(0x41));
    const pdf = String.fromCharCode(...handWrittenPdf("x", { flate: true }));
    const withData = (data: Uint8Array) => {
      const start = pdf.indexOf("stream\n") + "stream\n".length;
      const end = pdf.indexOf("\nendstream");
      const text = pdf.slice(0, start).replace(/\/Length \d+/, `/Length ${data.length}`) + String.fromCharCode(...data) + pdf.slice(end);
      return Uint8Array.from(text, (c) => c.charCodeAt(0));
    };
    expect(codeOf(() => extractFromPdf(withData(bomb)))).toBe("TOO_LARGE");
    expect(codeOf(() => extractFromPdf(withData(ascii("not zlib at all"))))).toBe("MALFORMED_PDF");
  });

  it("refuses filters other than FlateDecode by name", () => {
    const pdf = String.fromCharCode(...handWrittenPdf(JWT)).replace("/Subtype", "/Filter /ASCIIHexDecode /Subtype");
    const error = (() => {
      try {
        extractFromPdf(ascii(pdf));
      } catch (e) {
        return e as BakeError;
      }
    })();
    expect(error).toMatchObject({ code: "MALFORMED_PDF" });
    expect(error?.message).toContain("ASCIIHexDecode");
  });

  it("answers INVALID_CREDENTIAL_TEXT when the embedded file is not UTF-8", () => {
    const pdf = String.fromCharCode(...handWrittenPdf("ab")).replace("stream\nab\n", "stream\n\u00ff\u00fe\n");
    expect(codeOf(() => extractFromPdf(ascii(pdf)))).toBe("INVALID_CREDENTIAL_TEXT");
  });
});
