// The verify URL as a QR code drawn with vector squares (sharp at any print size). uqr is a small,
// dependency-free encoder that runs in workerd.
import { encode } from "uqr";
import { rgb, type PDFPage } from "pdf-lib";

/** Quiet zone in modules on each side (ISO/IEC 18004 asks for 4). */
const QUIET_MODULES = 4;

/**
 * Draws `text` as a QR code whose outer edge (quiet zone included) is `size` points wide with its
 * lower-left corner at (x, y). Horizontal runs of dark modules become one rectangle each.
 */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { data, size: modules } = encode(text, { ecc: "M", border: 0 });
  const unit = size / (modules + 2 * QUIET_MODULES);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  const black = rgb(0, 0, 0);
  for (let row = 0; row < modules; row++) {
    let col = 0;
    while (col < modules) {
      if (!data[row]![col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules && data[row]![col]) col++;
      page.drawRectangle({
        x: x + (QUIET_MODULES + start) * unit,
        y: y + size - (QUIET_MODULES + row + 1) * unit,
        width: (col - start) * unit,
        height: unit,
        color: black,
      });
    }
  }
}
