// Hrana `Value` <-> SQLite values (HRANA_3_SPEC.md, "Values"). Integers travel as decimal
// strings and are handled as BigInt end to end, so 64-bit values round-trip exactly.

/** What the server binds to, and reads from, a libsql statement. */
export type SqlValue = null | bigint | number | string | Buffer;

export type HranaValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number | RawJson }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

/** A `JSON.rawJSON` marker: serialized verbatim by `JSON.stringify`. */
export type RawJson = { readonly rawJSON: string };

const rawJson = (JSON as unknown as { rawJSON(text: string): RawJson }).rawJSON;

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Thrown when a request does not follow the protocol; answered with HTTP 400. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

function describe(raw: unknown): string {
  return raw === null ? "null" : Array.isArray(raw) ? "array" : typeof raw;
}

/** Decodes a Hrana JSON `Value`; `where` names its position for error messages. */
export function decodeValue(raw: unknown, where: string): SqlValue {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProtocolError(`${where}: expected a Value object, got ${describe(raw)}`);
  }
  const v = raw as Record<string, unknown>;
  switch (v.type) {
    case "null":
      return null;
    case "integer": {
      const text = typeof v.value === "number" && Number.isSafeInteger(v.value) ? String(v.value) : v.value;
      if (typeof text !== "string" || !/^-?[0-9]{1,20}$/.test(text)) {
        throw new ProtocolError(`${where}: integer value must be a decimal string`);
      }
      const n = BigInt(text);
      if (n < MIN_I64 || n > MAX_I64) {
        throw new ProtocolError(`${where}: integer value ${text} does not fit in 64 bits`);
      }
      return n;
    }
    case "float":
      if (typeof v.value !== "number") throw new ProtocolError(`${where}: float value must be a number`);
      return v.value;
    case "text":
      if (typeof v.value !== "string") throw new ProtocolError(`${where}: text value must be a string`);
      return v.value;
    case "blob":
      if (typeof v.base64 !== "string" || !BASE64.test(v.base64)) {
        throw new ProtocolError(`${where}: blob value must carry a base64 string`);
      }
      return Buffer.from(v.base64, "base64");
    default:
      throw new ProtocolError(`${where}: unknown Value type ${JSON.stringify(v.type)}`);
  }
}

/** Encodes a value read with `safeIntegers(true)` (so every integer is a BigInt). */
export function encodeValue(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") {
    // JSON has no Infinity; an out-of-range literal parses back to it in every JSON reader.
    if (!Number.isFinite(value)) return { type: "float", value: rawJson(value > 0 ? "1e999" : "-1e999") };
    return { type: "float", value };
  }
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { type: "blob", base64: bytes.toString("base64") };
  }
  throw new TypeError(`cannot encode a ${typeof value} as a Hrana value`);
}
