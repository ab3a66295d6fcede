// The certificate's fonts: Inter in the Unicode ranges @fontsource ships (Latin, Latin Extended,
// Cyrillic, Greek, Vietnamese), read by fontkit from the .woff files wrangler bundles as Data.
// A string is drawn as runs, each in the first face that has its characters; a character no face
// has is replaced by FALLBACK_CHARACTER, so a name in a script we do not ship never fails a render
// (the embedded credential keeps the exact name).
import fontkit from "@pdf-lib/fontkit";
import interBold from "@fontsource/inter/files/inter-latin-700-normal.woff";
import interBoldExt from "@fontsource/inter/files/inter-latin-ext-700-normal.woff";
import interRegular from "@fontsource/inter/files/inter-latin-400-normal.woff";
import interRegularCyrillic from "@fontsource/inter/files/inter-cyrillic-400-normal.woff";
import interRegularCyrillicExt from "@fontsource/inter/files/inter-cyrillic-ext-400-normal.woff";
import interRegularExt from "@fontsource/inter/files/inter-latin-ext-400-normal.woff";
import interRegularGreek from "@fontsource/inter/files/inter-greek-400-normal.woff";
import interRegularVietnamese from "@fontsource/inter/files/inter-vietnamese-400-normal.woff";
import type { PDFDocument, PDFFont } from "pdf-lib";
import { woffToSfnt } from "./woff.ts";

/** Drawn for a character none of the faces has. */
export const FALLBACK_CHARACTER = "?";

export type Weight = "regular" | "bold";

interface Face {
  bytes: Uint8Array;
  has: (codePoint: number) => boolean;
}

// Regular faces cover every range; bold covers Latin (titles), then falls back to regular faces.
const FILES: Record<Weight, ArrayBuffer[]> = {
  regular: [interRegular, interRegularExt, interRegularCyrillic, interRegularCyrillicExt, interRegularGreek, interRegularVietnamese],
  bold: [interBold, interBoldExt],
};

let faces: Record<Weight, Face[]> | undefined;

function loadFaces(): Record<Weight, Face[]> {
  const load = (files: ArrayBuffer[]) =>
    files.map((buffer) => {
      const bytes = woffToSfnt(new Uint8Array(buffer));
      const font = fontkit.create(bytes);
      return { bytes, has: (cp: number) => font.hasGlyphForCodePoint(cp) };
    });
  faces ??= { regular: load(FILES.regular), bold: load(FILES.bold) };
  return faces;
}

/** One piece of a string that a single embedded font draws. */
export interface Run {
  text: string;
  font: PDFFont;
}

/**
 * Embeds faces into one document on first use (subset: only the glyphs drawn end up in the file)
 * and splits strings into runs.
 */
export class CertificateFonts {
  private readonly embedded = new Map<Uint8Array, PDFFont>();
  private readonly doc: PDFDocument;

  constructor(doc: PDFDocument) {
    this.doc = doc;
    doc.registerFontkit(fontkit);
  }

  /** `text` split into runs of one face each; characters no face has become FALLBACK_CHARACTER. */
  async runs(text: string, weight: Weight): Promise<Run[]> {
    const all = loadFaces();
    const candidates = weight === "bold" ? [...all.bold, ...all.regular] : all.regular;
    const pieces: { face: Face; text: string }[] = [];
    for (const char of text.replace(/[\u0000-\u001f\u007f]/g, " ")) {
      const cp = char.codePointAt(0)!;
      let face = candidates.find((f) => f.has(cp));
      let drawn = char;
      if (!face) {
        drawn = FALLBACK_CHARACTER;
        face = candidates[0]!;
      }
      const last = pieces.at(-1);
      if (last && last.face === face) last.text += drawn;
      else pieces.push({ face, text: drawn });
    }
    const runs: Run[] = [];
    for (const piece of pieces) runs.push({ text: piece.text, font: await this.embed(piece.face) });
    return runs;
  }

  private async embed(face: Face): Promise<PDFFont> {
    let font = this.embedded.get(face.bytes);
    if (!font) {
      font = await this.doc.embedFont(face.bytes, { subset: true });
      this.embedded.set(face.bytes, font);
    }
    return font;
  }
}

/** Width of `runs` at `size` points. */
export function runsWidth(runs: Run[], size: number): number {
  return runs.reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0);
}
