// The printable certificate: one landscape page (A4 or US Letter) with the issuer's logo (when the
// credential names one), the template's title and accent colour, the recipient, the achievement,
// the issuer, the dates, the achievement's badge image, a QR code to the verify URL and the URL in text; a revoked credential gets a visible "REVOKED" mark and the reason. The
// signed VC-JWT rides along as the embedded file `credential.jwt`, an associated file (/AF) of the
// document, so the certificate verifies itself (shared/pdf/extract.ts reads it back).
import { AFRelationship, degrees, PDFDocument, rgb, type PDFPage, type RGB } from "pdf-lib";
import { CertificateFonts, runsWidth, type Run, type Weight } from "./fonts.ts";
import { drawQrCode } from "./qr.ts";

/** Page sizes in PDF points (1/72 in), landscape. */
export const PAGE_SIZES = { A4: [841.89, 595.28], Letter: [792, 612] } as const;
export type CertificatePageSize = keyof typeof PAGE_SIZES;

/** The embedded file's name: verifiers look for exactly this one. */
export const CREDENTIAL_FILE_NAME = "credential.jwt";

export interface CertificateInput {
  jwt: string;
  verifyUrl: string;
  recipientName: string;
  achievementName: string;
  achievementDescription: string;
  issuerName: string;
  /** ISO 8601 issuance time: the document's creation date, so the same credential keeps its dates. */
  issuedAt: string;
  validFrom: string;
  validUntil?: string;
  revocation?: { reason: string; revokedAt: string };
  /** The achievement's badge image (PNG); left out when absent. */
  badgePng?: Uint8Array;
  pageSize?: CertificatePageSize;
  /** The template's accent colour as `#rrggbb` (default: the house green). */
  accentColor?: string;
  /** The heading, drawn in capitals (default "Certificate of achievement"). */
  title?: string;
  /** The issuer logo the credential was issued with (PNG or JPEG, checked when uploaded). */
  logo?: { contentType: "image/png" | "image/jpeg"; bytes: Uint8Array };
}

const INK = rgb(0.1, 0.12, 0.16);
const MUTED = rgb(0.36, 0.4, 0.46);
const DEFAULT_ACCENT = rgb(0.09, 0.35, 0.24);
/** The logo's box at the top of the page, in points; the logo keeps its proportions inside it. */
const LOGO_BOX = { width: 160, height: 44 };
const REVOKED = rgb(0.75, 0.1, 0.12);
const MARGIN = 40;
/** Description characters drawn at most (the rest is cut with an ellipsis). */
const MAX_DESCRIPTION_CHARS = 400;

/** Renders the certificate PDF (no object streams: a plain object table keeps extraction simple). */
export async function renderCertificatePdf(input: CertificateInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = new CertificateFonts(doc);
  const [width, height] = PAGE_SIZES[input.pageSize ?? "A4"];
  const page = doc.addPage([width, height]);
  const issued = new Date(input.issuedAt);
  const changed = input.revocation ? new Date(input.revocation.revokedAt) : issued;

  doc.setTitle(`${input.achievementName}: ${input.recipientName}`, { showInWindowTitleBar: true });
  doc.setAuthor(input.issuerName);
  doc.setSubject(`Certificate of achievement issued by ${input.issuerName}${input.revocation ? " (revoked)" : ""}`);
  doc.setCreator("Laurel");
  doc.setProducer("Laurel");
  doc.setCreationDate(issued);
  doc.setModificationDate(changed);
  doc.setLanguage("en");

  const ACCENT = input.accentColor ? hexColour(input.accentColor) : DEFAULT_ACCENT;
  page.drawRectangle({ x: 16, y: 16, width: width - 32, height: height - 32, borderColor: ACCENT, borderWidth: 3 });
  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: ACCENT, borderWidth: 0.75 });

  const center = (runs: Run[], size: number, y: number, color: RGB) => drawRuns(page, runs, (width - runsWidth(runs, size)) / 2, y, size, color);
  const textWidth = width - 2 * MARGIN - 40;

  let y = height - 100;
  if (input.logo) {
    const image = input.logo.contentType === "image/png" ? await doc.embedPng(input.logo.bytes) : await doc.embedJpg(input.logo.bytes);
    const scale = Math.min(LOGO_BOX.width / image.width, LOGO_BOX.height / image.height);
    const [w, h] = [image.width * scale, image.height * scale];
    page.drawImage(image, { x: (width - w) / 2, y: height - 40 - h, width: w, height: h });
    y -= 30; // the logo sits above the title: everything moves down (the footer has the room)
  }
  const title = await fonts.runs((input.title ?? "Certificate of achievement").toUpperCase(), "bold");
  center(title, fitSize(title, 26, 12, textWidth), y, ACCENT);
  y -= 44;
  center(await fonts.runs("This certifies that", "regular"), 14, y, MUTED);
  y -= 48;
  const name = await fonts.runs(input.recipientName, "bold");
  center(name, fitSize(name, 34, 16, textWidth), y, INK);
  y -= 36;
  center(await fonts.runs("has earned", "regular"), 14, y, MUTED);
  y -= 36;
  const achievement = await fonts.runs(input.achievementName, "bold");
  center(achievement, fitSize(achievement, 24, 12, textWidth), y, ACCENT);
  y -= 24;
  for (const line of await wrap(fonts, clip(input.achievementDescription, MAX_DESCRIPTION_CHARS), "regular", 11, textWidth - 120, 3)) {
    center(line, 11, y, MUTED);
    y -= 15;
  }

  // Footer: issuer and dates on the left, badge in the middle, QR code and URL on the right.
  const footerY = 64;
  let left = footerY + 58;
  for (const [label, value] of footerFacts(input)) {
    drawRuns(page, await fonts.runs(label, "regular"), MARGIN + 12, left, 9, MUTED);
    drawRuns(page, await fonts.runs(value, "bold"), MARGIN + 12, left - 13, 12, INK);
    left -= 30;
  }
  if (input.badgePng) {
    const image = await doc.embedPng(input.badgePng);
    const side = 96;
    page.drawImage(image, { x: (width - side) / 2, y: footerY - 8, width: side, height: side });
  }
  const qrSize = 104;
  drawQrCode(page, input.verifyUrl, width - MARGIN - 12 - qrSize, footerY + 6, qrSize);
  const urlRuns = await fonts.runs(input.verifyUrl, "regular");
  const urlSize = fitSize(urlRuns, 8, 5, 260);
  drawRuns(page, urlRuns, width - MARGIN - 12 - runsWidth(urlRuns, urlSize), footerY - 6, urlSize, MUTED);
  drawRuns(page, await fonts.runs("Verify at", "regular"), width - MARGIN - 12 - qrSize - 48, footerY + 52, 9, MUTED);

  if (input.revocation) await drawRevokedMark(page, fonts, input.revocation, width, height);

  await doc.attach(new TextEncoder().encode(input.jwt), CREDENTIAL_FILE_NAME, {
    mimeType: "application/vc+jwt",
    description: "The signed Open Badges 3.0 credential (VC-JWT) this certificate shows",
    creationDate: issued,
    modificationDate: changed,
    afRelationship: AFRelationship.Data,
  });
  return doc.save({ useObjectStreams: false });
}

function footerFacts(input: CertificateInput): [string, string][] {
  const facts: [string, string][] = [["Issued by", input.issuerName], ["Issued on", day(input.validFrom)]];
  if (input.validUntil) facts.push(["Valid until", day(input.validUntil)]);
  return facts;
}

async function drawRevokedMark(page: PDFPage, fonts: CertificateFonts, revocation: { reason: string; revokedAt: string }, width: number, height: number) {
  const mark = await fonts.runs("REVOKED", "bold");
  const size = 120;
  const markWidth = runsWidth(mark, size);
  // Rotated 30° about its start point, placed so the word crosses the page's centre.
  const angle = (30 * Math.PI) / 180;
  const x = width / 2 - (Math.cos(angle) * markWidth) / 2 + (Math.sin(angle) * size * 0.35);
  const y = height / 2 - (Math.sin(angle) * markWidth) / 2 - (Math.cos(angle) * size * 0.35);
  let dx = 0;
  for (const run of mark) {
    page.drawText(run.text, { x: x + Math.cos(angle) * dx, y: y + Math.sin(angle) * dx, size, font: run.font, color: REVOKED, opacity: 0.35, rotate: degrees(30) });
    dx += run.font.widthOfTextAtSize(run.text, size);
  }
  const note = await fonts.runs(`Revoked on ${day(revocation.revokedAt)}${revocation.reason ? `: ${clip(revocation.reason, 160)}` : ""}`, "bold");
  const noteSize = fitSize(note, 12, 6, width - 2 * MARGIN);
  drawRuns(page, note, (width - runsWidth(note, noteSize)) / 2, height - 52, noteSize, REVOKED);
}

function drawRuns(page: PDFPage, runs: Run[], x: number, y: number, size: number, color: RGB): void {
  for (const run of runs) {
    page.drawText(run.text, { x, y, size, font: run.font, color });
    x += run.font.widthOfTextAtSize(run.text, size);
  }
}

/** The largest size from `max` down to `min` (1 pt steps) at which `runs` fit `width`. */
function fitSize(runs: Run[], max: number, min: number, width: number): number {
  const atMax = runsWidth(runs, max);
  return atMax <= width ? max : Math.max(min, Math.floor((max * width) / atMax));
}

/**
 * Greedy word wrap into at most `maxLines` lines; the last one ends with an ellipsis when text is
 * left. Each word is measured once (text layout is the costly part of a render).
 */
async function wrap(fonts: CertificateFonts, text: string, weight: Weight, size: number, width: number, maxLines: number): Promise<Run[][]> {
  const words = text.split(/\s+/).filter(Boolean);
  const space = runsWidth(await fonts.runs(" ", weight), size);
  const lines: string[] = [];
  let current = "";
  let currentWidth = 0;
  let cut = false;
  for (const word of words) {
    const wordWidth = runsWidth(await fonts.runs(word, weight), size);
    if (current && currentWidth + space + wordWidth > width) {
      lines.push(current);
      if (lines.length === maxLines) {
        cut = true;
        break;
      }
      current = word;
      currentWidth = wordWidth;
    } else {
      current = current ? `${current} ${word}` : word;
      currentWidth += (currentWidth ? space : 0) + wordWidth;
    }
  }
  if (!cut && current) lines.push(current);
  if (cut) lines[maxLines - 1] = `${lines[maxLines - 1]!.replace(/\s*\S*$/, "")}…`;
  return Promise.all(lines.map((line) => fonts.runs(line, weight)));
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** `#rrggbb` (checked by the template's schema) as a pdf-lib colour. */
function hexColour(hex: string): RGB {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}
