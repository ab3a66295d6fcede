// WOFF 1.0 → plain sfnt (TrueType/OpenType) bytes, once per face and isolate. fontkit reads WOFF
// itself, but re-inflates every table with a slow pure-JS inflater each time pdf-lib embeds the
// face (~200 ms per face per certificate); the sfnt it gets from here needs no inflation.
// Format: W3C WOFF File Format 1.0 §3-§5 (header, table directory, zlib-compressed tables).
import { unzlibSync } from "fflate";

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"

/** The sfnt inside a WOFF 1.0 file; bytes that are not WOFF are returned unchanged. */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const view = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.length < 44 || view.getUint32(0) !== WOFF_SIGNATURE) return woff;
  const flavor = view.getUint32(4);
  const numTables = view.getUint16(12);
  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = view.getUint32(at + 4);
    const compLength = view.getUint32(at + 8);
    const origLength = view.getUint32(at + 12);
    const stored = woff.subarray(offset, offset + compLength);
    tables.push({ tag: view.getUint32(at), checksum: view.getUint32(at + 16), data: compLength < origLength ? unzlibSync(stored) : stored });
  }
  // sfnt header (12 bytes), directory (16 per table), then each table padded to 4 bytes.
  let size = 12 + 16 * numTables;
  for (const t of tables) size += (t.data.length + 3) & ~3;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const log2 = Math.floor(Math.log2(numTables));
  dv.setUint32(0, flavor);
  dv.setUint16(4, numTables);
  dv.setUint16(6, 16 * 2 ** log2);
  dv.setUint16(8, log2);
  dv.setUint16(10, 16 * numTables - 16 * 2 ** log2);
  let offset = 12 + 16 * numTables;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    dv.setUint32(at, t.tag);
    dv.setUint32(at + 4, t.checksum);
    dv.setUint32(at + 8, offset);
    dv.setUint32(at + 12, t.data.length);
    out.set(t.data, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}
