// Light structural check of an OB 3.0 credential for the verification hot path. The full 1EdTech
// JSON Schema (ajv) is a test-time tool; this covers what verification and display rely on.

import { OB_CONTEXT_PATTERN, STATUS_ENTRY_TYPE, VC_V2_CONTEXT } from "./constants.ts";
import { parseDateTimeStamp } from "./dates.ts";

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

function hasType(v: unknown, wanted: string): boolean {
  return v === wanted || (Array.isArray(v) && v.includes(wanted));
}

/** The issuer's id whether `issuer` is a URI or a Profile object (VC 2.0 §4.7, OB 3.0 ProfileRef). */
export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === "string") return issuer;
  if (isObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return undefined;
}

/** Structural problems of a status entry, or null (Bitstring Status List v1.0 §2.1). */
export function checkStatusEntryShape(entry: unknown): string | null {
  if (!isObject(entry)) return "credentialStatus must be one object";
  if (entry.type !== STATUS_ENTRY_TYPE) return `credentialStatus.type must be ${STATUS_ENTRY_TYPE}`;
  if (!isNonEmptyString(entry.statusPurpose)) return "credentialStatus.statusPurpose missing";
  const index = entry.statusListIndex;
  if (typeof index !== "string" || !/^(0|[1-9]\d{0,14})$/.test(index)) {
    return "credentialStatus.statusListIndex must be a decimal string";
  }
  const url = entry.statusListCredential;
  if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/.test(url)) {
    return "credentialStatus.statusListCredential must be an http(s) URL";
  }
  return null;
}

/**
 * Checks the OB 3.0 OpenBadgeCredential structure (OB 3.0 §8.1, VC 2.0 §4): contexts, types, id,
 * issuer, validFrom/validUntil, AchievementSubject with an Achievement, at most one status entry.
 * Returns the first problem found, or null.
 */
export function checkCredentialShape(vc: unknown): string | null {
  if (!isObject(vc)) return "credential is not a JSON object";
  const ctx = vc["@context"];
  if (!Array.isArray(ctx) || ctx[0] !== VC_V2_CONTEXT) return `@context must start with ${VC_V2_CONTEXT}`;
  if (typeof ctx[1] !== "string" || !OB_CONTEXT_PATTERN.test(ctx[1])) return "@context[1] must be the OB 3.0 context";
  const type = vc.type;
  if (!Array.isArray(type) || !type.includes("VerifiableCredential")) return "type must include VerifiableCredential";
  if (!type.includes("OpenBadgeCredential") && !type.includes("AchievementCredential")) {
    return "type must include OpenBadgeCredential";
  }
  if (!isNonEmptyString(vc.id)) return "id missing";
  const issuerId = issuerIdOf(vc.issuer);
  if (!isNonEmptyString(issuerId)) return "issuer.id missing";
  if (isObject(vc.issuer) && vc.issuer.name !== undefined && typeof vc.issuer.name !== "string") {
    return "issuer.name must be a string";
  }
  if (Number.isNaN(parseDateTimeStamp(vc.validFrom))) return "validFrom must be a date-time with a time zone";
  if (vc.validUntil !== undefined && Number.isNaN(parseDateTimeStamp(vc.validUntil))) {
    return "validUntil must be a date-time with a time zone";
  }
  const subject = vc.credentialSubject;
  if (!isObject(subject)) return "credentialSubject must be one object";
  if (!hasType(subject.type, "AchievementSubject")) return "credentialSubject.type must include AchievementSubject";
  if (subject.name !== undefined && typeof subject.name !== "string") return "credentialSubject.name must be a string";
  const achievement = subject.achievement;
  if (!isObject(achievement)) return "credentialSubject.achievement missing";
  if (!isNonEmptyString(achievement.id)) return "achievement.id missing";
  if (!hasType(achievement.type, "Achievement")) return "achievement.type must include Achievement";
  if (typeof achievement.name !== "string") return "achievement.name missing";
  if (typeof achievement.description !== "string") return "achievement.description missing";
  if (!isObject(achievement.criteria)) return "achievement.criteria missing";
  if (vc.credentialStatus !== undefined) return checkStatusEntryShape(vc.credentialStatus);
  return null;
}
