// CRC-32 as PNG defines it (PNG spec §5.5, ISO 3309 polynomial 0xEDB88320). Hand-rolled with a
// 256-entry table because shared/ runs in workerd and browsers, where node:zlib's crc32 is absent,
// and a dependency for 15 lines is not worth its weight in the edge bundle.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes[start, end)` (PNG spec §5.5 "CRC algorithm"). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
