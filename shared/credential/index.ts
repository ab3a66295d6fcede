// The OB 3.0 credential model: build, hash recipient identities, check structure.
export {
  VC_V2_CONTEXT,
  OB_V3_CONTEXT,
  OB_EXTENSIONS_CONTEXT,
  CREDENTIAL_CONTEXTS,
  OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
  JSON_SCHEMA_VALIDATOR_TYPE,
  OPEN_BADGE_TYPES,
  REVOCATION_PURPOSE,
  STATUS_ENTRY_TYPE,
} from "./constants.ts";
export { buildCredential, buildStatusEntry } from "./build.ts";
export type { BuildCredentialInput } from "./build.ts";
export { hashIdentity, normalizeEmail, randomSalt, emailMatches } from "./identity-hash.ts";
export { toDateTimeStamp, parseDateTimeStamp } from "./dates.ts";
export { checkCredentialShape, checkStatusEntryShape, issuerIdOf } from "./shape.ts";
export type * from "./types.ts";
