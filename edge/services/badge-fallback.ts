// Baked badges made at the edge. The real one: the achievement's badge image (written once per
// achievement by the origin) with the credential's VC-JWT baked in, for every credential the
// origin did not bake itself (batch issuance). The stand-in, while not even that image is in KV: a
// plain 256×256 PNG made here (no image library in the edge bundle) with the VC-JWT baked in, so a
// download is a verifiable badge from the first second, served with a short cache lifetime.
import { concatBytes } from "../../shared/bytes.ts";
import { bakePng, pngChunk } from "../../shared/bake/png.ts";

const SIZE = 256;
let base: Promise<Uint8Array<ArrayBuffer>> | null = null;

async function zlib(raw: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// A laurel-green disc on white, RGB, filter type 0 on every row (PNG spec §11.2.2, §9).
async function drawBase(): Promise<Uint8Array<ArrayBuffer>> {
  const rows = new Uint8Array(SIZE * (1 + SIZE * 3));
  const c = SIZE / 2;
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    for (let x = 0; x < SIZE; x++) {
      const inside = (x - c) ** 2 + (y - c) ** 2 <= (c - 8) ** 2;
      rows.set(inside ? [0x2e, 0x7d, 0x32] : [0xff, 0xff, 0xff], row + 1 + x * 3);
    }
  }
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, SIZE);
  new DataView(ihdr.buffer).setUint32(4, SIZE);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", await zlib(rows)),
    pngChunk("IEND", new Uint8Array(0)),
  ];
  return concatBytes(parts);
}

/** The generic badge PNG, nothing baked in. */
export function placeholderPng(): Promise<Uint8Array<ArrayBuffer>> {
  base ??= drawBase();
  return base;
}

/** A generic badge PNG with `jwt` baked in (iTXt `openbadgecredential`, OB 3.0 §5.3.1). */
export async function fallbackBadge(jwt: string): Promise<Uint8Array<ArrayBuffer>> {
  return bakePng(await placeholderPng(), jwt);
}
