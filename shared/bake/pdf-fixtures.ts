// PDFs for the extractor's tests: made by pdf-lib (what the origin writes) and written by hand
// in shapes other tools produce (uncompressed streams, indirect /Length, two embedded files).
import { zlibSync } from "fflate";
import { AFRelationship, PDFDocument } from "pdf-lib";

/** A one-page PDF with `jwt` attached as `name` (pdf-lib, as the origin's renderer does). */
export async function pdfLibWithAttachment(jwt: string, opts: { name?: string; useObjectStreams?: boolean; extra?: string[] } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 100]);
  for (const name of [opts.name ?? "credential.jwt", ...(opts.extra ?? [])]) {
    await doc.attach(new TextEncoder().encode(jwt), name, { mimeType: "application/vc+jwt", afRelationship: AFRelationship.Data });
  }
  return doc.save({ useObjectStreams: opts.useObjectStreams ?? false });
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * A hand-written PDF whose embedded-file stream is `data` with the given /Filter and /Length
 * (`indirect`: the length in object 6, written after the stream); `fileName` as a literal or a
 * UTF-16BE hex string.
 */
export function handWrittenPdf(
  jwt: string,
  opts: { flate?: boolean; indirectLength?: boolean; hexName?: boolean; fileName?: string } = {},
): Uint8Array {
  const data = opts.flate ? zlibSync(new TextEncoder().encode(jwt)) : new TextEncoder().encode(jwt);
  const name = opts.fileName ?? "credential.jwt";
  const nameToken = opts.hexName
    ? `<FEFF${[...name].map((c) => c.charCodeAt(0).toString(16).padStart(4, "0")).join("")}>`
    : `(${name})`;
  const length = opts.indirectLength ? "6 0 R" : String(data.length);
  const parts = [
    "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n",
    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(credential.jwt) 4 0 R] >> >> /AF [4 0 R] >>\nendobj\n",
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>\nendobj\n",
    `4 0 obj\n<< /Type /Filespec /F ${nameToken} /UF ${nameToken} /EF << /F 5 0 R >> /AFRelationship /Data >>\nendobj\n`,
    `5 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fvc+jwt${opts.flate ? " /Filter /FlateDecode" : ""} /Length ${length} >>\nstream\n${latin1(data)}\nendstream\nendobj\n`,
    `6 0 obj\n${data.length}\nendobj\n`,
    "trailer\n<< /Root 1 0 R /Size 7 >>\nstartxref\n0\n%%EOF\n",
  ];
  return Uint8Array.from(parts.join(""), (c) => c.charCodeAt(0));
}
