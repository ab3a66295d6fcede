// The status bitstring (Bitstring Status List v1.0 §2.2 encodedList, §3.1 bit order).

/** Minimum and default list length in entries: 16 KiB of bits (Bitstring Status List v1.0 §2.2). */
export const MIN_STATUS_LIST_LENGTH = 131_072;

/** A zeroed bitstring of `length` entries (≥ 131,072, a multiple of 8; Bitstring Status List §2.2). */
export function createBitstring(length: number = MIN_STATUS_LIST_LENGTH): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(length) || length < MIN_STATUS_LIST_LENGTH || length % 8 !== 0) {
    throw new RangeError(`status list length must be a multiple of 8 and >= ${MIN_STATUS_LIST_LENGTH}`);
  }
  return new Uint8Array(length / 8);
}

function locate(bits: Uint8Array, index: number): [byte: number, mask: number] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`status list index ${index} out of range 0..${bits.length * 8 - 1}`);
  }
  // Index 0 is the most significant bit of the first byte (Bitstring Status List v1.0 §3.1).
  return [index >> 3, 0x80 >> (index & 7)];
}

/** Whether entry `index` is set (Bitstring Status List v1.0 §3.2 Validate Algorithm step 9). */
export function getBit(bits: Uint8Array, index: number): boolean {
  const [byte, mask] = locate(bits, index);
  return ((bits[byte] ?? 0) & mask) !== 0;
}

/** Sets entry `index` (e.g. revokes the credential holding it; Bitstring Status List v1.0 §2.2). */
export function setBit(bits: Uint8Array, index: number): void {
  const [byte, mask] = locate(bits, index);
  bits[byte] = (bits[byte] ?? 0) | mask;
}

/** Clears entry `index` (Bitstring Status List v1.0 §2.2). */
export function clearBit(bits: Uint8Array, index: number): void {
  const [byte, mask] = locate(bits, index);
  bits[byte] = (bits[byte] ?? 0) & ~mask;
}
