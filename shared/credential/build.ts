// Builds Laurel's OB 3.0 OpenBadgeCredential (OB 3.0 §8.1 on VC 2.0; docs/api.md "Credential format").

import {
  CREDENTIAL_CONTEXTS,
  JSON_SCHEMA_VALIDATOR_TYPE,
  OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
  REVOCATION_PURPOSE,
  STATUS_ENTRY_TYPE,
} from "./constants.ts";
import { toDateTimeStamp } from "./dates.ts";
import { hashIdentity, normalizeEmail, randomSalt } from "./identity-hash.ts";
import type {
  AchievementInput,
  IssuerInput,
  IssuerProfile,
  OpenBadgeCredential,
  RecipientInput,
  StatusEntry,
} from "./types.ts";

/** Everything `buildCredential` needs; `id` is a bare UUID (the credential's API id). */
export interface BuildCredentialInput {
  id?: string;
  issuer: IssuerInput;
  achievement: AchievementInput;
  recipient: RecipientInput;
  status: { statusListCredential: string; statusListIndex: number };
  validFrom?: Date | string;
  validUntil?: Date | string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The single revocation entry (Bitstring Status List v1.0 §2.1); its `id` is `<list URL>#<index>`. */
export function buildStatusEntry(statusListCredential: string, statusListIndex: number): StatusEntry {
  if (!Number.isSafeInteger(statusListIndex) || statusListIndex < 0) {
    throw new RangeError(`statusListIndex must be a non-negative integer, got ${statusListIndex}`);
  }
  return {
    id: `${statusListCredential}#${statusListIndex}`,
    type: STATUS_ENTRY_TYPE,
    statusPurpose: REVOCATION_PURPOSE,
    statusListIndex: String(statusListIndex),
    statusListCredential,
  };
}

function issuerProfile(issuer: IssuerInput): IssuerProfile {
  const profile: IssuerProfile = { id: issuer.id, type: ["Profile"], name: issuer.name };
  if (issuer.url) profile.url = issuer.url;
  if (issuer.email) profile.email = issuer.email;
  if (issuer.image) profile.image = { id: issuer.image, type: "Image" };
  return profile;
}

/**
 * Builds an OpenBadgeCredential (OB 3.0 §8.1): VC 2.0, OB and OB extensions contexts, issuer Profile,
 * AchievementSubject with the recipient's name and salted email hash (OB 3.0 §B.1.12), one
 * BitstringStatusListEntry, and the OB 3.0 JSON Schema as credentialSchema (VC 2.0 §5.4).
 */
export async function buildCredential(input: BuildCredentialInput): Promise<OpenBadgeCredential> {
  const uuid = input.id ?? crypto.randomUUID();
  if (!UUID.test(uuid)) throw new TypeError(`credential id must be a UUID, got ${uuid}`);
  const salt = input.recipient.salt ?? randomSalt();
  const identityHash = await hashIdentity(normalizeEmail(input.recipient.email), salt);
  const a = input.achievement;
  const achievement: OpenBadgeCredential["credentialSubject"]["achievement"] = {
    id: a.id,
    type: ["Achievement"],
    name: a.name,
    description: a.description,
    criteria: { narrative: a.criteria.narrative },
  };
  if (a.image) achievement.image = { id: a.image.id, type: "Image" };
  if (a.tags && a.tags.length > 0) achievement.tag = [...a.tags];

  const credential: OpenBadgeCredential = {
    "@context": [...CREDENTIAL_CONTEXTS],
    id: `urn:uuid:${uuid.toLowerCase()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: a.name,
    issuer: issuerProfile(input.issuer),
    validFrom: toDateTimeStamp(input.validFrom ?? new Date()),
    credentialSubject: {
      id: input.recipient.subjectId ?? `urn:uuid:${crypto.randomUUID()}`,
      type: ["AchievementSubject"],
      name: input.recipient.name,
      identifier: [{ type: "IdentityObject", identityHash, identityType: "emailAddress", hashed: true, salt }],
      achievement,
    },
    credentialStatus: buildStatusEntry(input.status.statusListCredential, input.status.statusListIndex),
    credentialSchema: [{ id: OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, type: JSON_SCHEMA_VALIDATOR_TYPE }],
  };
  if (input.validUntil !== undefined) {
    credential.validUntil = toDateTimeStamp(input.validUntil);
    if (Date.parse(credential.validUntil) <= Date.parse(credential.validFrom)) {
      throw new RangeError("validUntil must be after validFrom");
    }
  }
  return credential;
}
