// A QR code of a URL as inline SVG, drawn at the edge (uqr; no image request, no third party).
import { encode } from "uqr";
import { TtlLru } from "../../shared/cache/ttl-lru.ts";
import { escapeHtml, unsafeRaw, type SafeHtml } from "./html.ts";

// Encoding is ~1.2 ms of CPU (most of a page render) and depends only on the text: memoised per
// isolate, so a hot credential page pays it once. ~4 KB per entry.
const drawn = new TtlLru<SafeHtml>(1_000, 60 * 60_000);

/** An SVG QR code (ECC M, quiet zone of 2 modules) with an accessible label. */
export function qrSvg(text: string, label: string): SafeHtml {
  const key = `${label}\u0000${text}`;
  const hit = drawn.get(key);
  if (hit) return hit;
  const svg = drawQr(text, label);
  drawn.set(key, svg);
  return svg;
}

function drawQr(text: string, label: string): SafeHtml {
  const qr = encode(text, { ecc: "M", border: 2 });
  let path = "";
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return unsafeRaw(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges"><rect width="${qr.size}" height="${qr.size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`,
  );
}
