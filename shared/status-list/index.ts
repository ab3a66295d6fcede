// Bitstring Status List v1.0: bitstrings, encodedList codec, status list credentials.
export { MIN_STATUS_LIST_LENGTH, createBitstring, getBit, setBit, clearBit } from "./bitstring.ts";
export {
  encodeStatusList,
  decodeStatusList,
  StatusListDecodeError,
  MAX_DECODED_LIST_BYTES,
  MIN_DECODED_LIST_BYTES,
} from "./codec.ts";
export { buildStatusListCredential, signStatusList } from "./credential.ts";
export type { StatusListCredential, StatusListInput } from "./credential.ts";
export {
  verifyStatusList,
  checkStatusEntry,
  assertStatusListCurrent,
  StatusListError,
  MAX_STATUS_LIST_JWT_BYTES,
} from "./verify.ts";
export type { VerifiedStatusList, StatusListClock, StatusEntryAnswer } from "./verify.ts";
