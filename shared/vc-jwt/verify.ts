// Verifies a VC-JWT per RFC 8725 (JWT BCP) and VC-JOSE-COSE §3.1.1, recording one named check per
// step. Shared by credential verification and status list verification; never throws.

import { compactVerify, type JWK } from "jose";
import { issuerIdOf } from "../credential/shape.ts";
import { parseDateTimeStamp } from "../credential/dates.ts";
import type { CheckList } from "./check-list.ts";
import {
  ALLOWED_ALGORITHMS,
  ALLOWED_TYPES,
  CLOCK_TOLERANCE_SECONDS,
  MAX_CREDENTIAL_JWT_BYTES,
  type SigningAlgorithm,
} from "./constants.ts";
import { refusedHeaderProblem } from "./header.ts";
import { importVerifyKey } from "./key-cache.ts";
import { isMultikey } from "../keys/lookup.ts";
import { decodeCompactJws } from "./parse.ts";

/**
 * An issuer's public keys plus the kids (`<did>#<key id>`) of keys it revoked, so that a token
 * signed by one is reported as "signing key revoked" rather than as an unknown key.
 */
export interface IssuerKeySet {
  keys: readonly JWK[];
  revokedKids: readonly string[];
}

/** Supplies an issuer's public keys (from KV, files or a did:web fetch); null when unavailable. */
export type IssuerKeyResolver = (
  issuerDid: string,
) => Promise<readonly JWK[] | IssuerKeySet | null> | readonly JWK[] | IssuerKeySet | null;

/** Options of `verifyVcJwt` (RFC 8725 §3; VC 2.0 §4.9 validity period). */
export interface VcJwtOptions {
  resolveIssuerKeys: IssuerKeyResolver;
  now?: Date | number;
  clockToleranceSeconds?: number;
  maxBytes?: number;
  /**
   * "required" (default; OB 3.0 credentials): `sub` must equal credentialSubject.id whenever the
   * subject has an id. "optional" (status list credentials; VC-JOSE-COSE makes JWT claims optional):
   * `sub` may be absent, and must equal credentialSubject.id when present.
   */
  subjectClaim?: "required" | "optional";
}

/** What a VC-JWT verification established; `payload` is present once the token decoded. */
export interface VcJwtVerification {
  payload?: Record<string, unknown>;
  signatureVerified: boolean;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Header values are attacker-controlled: quote them, shortened, in details.
function quote(v: unknown): string {
  const text = JSON.stringify(v) ?? "missing";
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isAllowedAlg(alg: unknown): alg is SigningAlgorithm {
  return (ALLOWED_ALGORITHMS as readonly unknown[]).includes(alg);
}

function normalizeTyp(typ: unknown): string | null {
  if (typeof typ !== "string") return null;
  const t = typ.toLowerCase();
  return t.startsWith("application/") ? t.slice("application/".length) : t;
}

function isKeySet(value: readonly JWK[] | IssuerKeySet): value is IssuerKeySet {
  return !Array.isArray(value);
}

// Finds the signing key: kid bound to iss (`<iss>#...`), listed by the issuer, fitting alg.
async function findKey(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: SigningAlgorithm,
  opts: VcJwtOptions,
): Promise<{ key: CryptoKey; kid: string } | { outcome: "invalid" | "unknown"; detail: string }> {
  const kid = header.kid;
  const iss = payload.iss;
  if (typeof kid !== "string" || kid.length === 0) return { outcome: "invalid", detail: "kid header missing" };
  if (typeof iss !== "string" || iss.length === 0) return { outcome: "invalid", detail: "iss claim missing" };
  if (!kid.startsWith(`${iss}#`) || kid.length === iss.length + 1) {
    return { outcome: "invalid", detail: `kid ${kid} is not a key of issuer ${iss}` };
  }
  let resolved: readonly JWK[] | IssuerKeySet | null;
  try {
    resolved = await opts.resolveIssuerKeys(iss);
  } catch (e) {
    return { outcome: "unknown", detail: `issuer keys unavailable: ${describe(e)}` };
  }
  if (!resolved) return { outcome: "unknown", detail: `issuer keys unavailable for ${iss}` };
  const keys: readonly JWK[] = isKeySet(resolved) ? resolved.keys : resolved;
  const jwk = keys.find((k) => k?.kid === kid);
  if (!jwk) {
    if (isKeySet(resolved) && resolved.revokedKids.includes(kid)) return { outcome: "invalid", detail: `signing key revoked: ${kid}` };
    return { outcome: "invalid", detail: `kid ${kid} is not among the issuer's keys` };
  }
  // The issuer's Data Integrity keys sign proofs, never VC-JWTs (each key has one use).
  if (isMultikey(jwk)) return { outcome: "invalid", detail: `kid ${kid} is a Data Integrity key (Multikey), not a VC-JWT key` };
  try {
    return { key: await importVerifyKey(jwk, alg), kid };
  } catch (e) {
    return { outcome: "invalid", detail: describe(e) };
  }
}

async function checkKeyAndSignature(
  jwt: string,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: SigningAlgorithm,
  opts: VcJwtOptions,
  list: CheckList,
): Promise<boolean> {
  const found = await findKey(header, payload, alg, opts);
  if ("outcome" in found) {
    list.fail("key", found.outcome, found.detail);
    return false;
  }
  list.pass("key", found.kid);
  try {
    await compactVerify(jwt, found.key, { algorithms: [alg] });
  } catch (e) {
    list.fail("signature", "invalid", `signature verification failed (${describe(e)})`);
    return false;
  }
  list.pass("signature", alg);
  return true;
}

function checkClaims(p: Record<string, unknown>, opts: VcJwtOptions, list: CheckList): void {
  const problems: string[] = [];
  const issuerId = issuerIdOf(p.issuer);
  if (typeof p.iss !== "string" || p.iss !== issuerId) problems.push("iss must equal issuer.id");
  if (typeof p.jti !== "string" || p.jti !== p.id) problems.push("jti must equal id");
  const subject = p.credentialSubject;
  const subjectId = typeof subject === "object" && subject !== null ? (subject as { id?: unknown }).id : undefined;
  const subRequired = (opts.subjectClaim ?? "required") === "required" && subjectId !== undefined;
  if (subRequired || p.sub !== undefined) {
    if (typeof p.sub !== "string" || p.sub !== subjectId) problems.push("sub must equal credentialSubject.id");
  }
  const validFrom = parseDateTimeStamp(p.validFrom);
  if (typeof p.nbf !== "number") problems.push("nbf claim missing");
  else if (!Number.isNaN(validFrom) && Math.abs(p.nbf * 1000 - validFrom) >= 1000) problems.push("nbf must equal validFrom");
  if (p.validUntil !== undefined) {
    const validUntil = parseDateTimeStamp(p.validUntil);
    if (typeof p.exp !== "number") problems.push("exp claim missing while validUntil is set");
    else if (!Number.isNaN(validUntil) && Math.abs(p.exp * 1000 - validUntil) >= 1000) problems.push("exp must equal validUntil");
  } else if (p.exp !== undefined) {
    problems.push("exp set without validUntil");
  }
  if (problems.length > 0) list.fail("claims", "invalid", problems.join("; "));
  else list.pass("claims");
}

/** Adds the valid_from and valid_until checks (VC 2.0 §4.9), with the clock tolerance. */
export function checkDates(p: Record<string, unknown>, opts: Pick<VcJwtOptions, "now" | "clockToleranceSeconds">, list: CheckList): void {
  const now = opts.now === undefined ? Date.now() : typeof opts.now === "number" ? opts.now : opts.now.getTime();
  const skew = (opts.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS) * 1000;
  const from = parseDateTimeStamp(p.validFrom);
  if (Number.isNaN(from)) list.fail("valid_from", "invalid", "validFrom missing or not a date-time");
  else if (now + skew < from) list.fail("valid_from", "not_yet_valid", `not valid before ${String(p.validFrom)}`);
  else list.pass("valid_from", String(p.validFrom));
  if (p.validUntil === undefined) {
    list.pass("valid_until", "no expiry");
    return;
  }
  const until = parseDateTimeStamp(p.validUntil);
  if (Number.isNaN(until)) list.fail("valid_until", "invalid", "validUntil is not a date-time");
  else if (now - skew > until) list.fail("valid_until", "expired", `expired at ${String(p.validUntil)}`);
  else list.pass("valid_until", String(p.validUntil));
}

/**
 * Checks size, compact form, alg allow-list, typ, refused header parameters, kid binding to `iss`,
 * the signature (jose), the claims binding (iss/jti/sub/nbf/exp, VC-JOSE-COSE §3.1.1) and
 * validFrom/validUntil with leeway. Adds checks size, format, algorithm, type, header, key,
 * signature, claims, valid_from, valid_until. Unsecured and self-keyed tokens (alg none, jwk, jku,
 * x5u, x5c, crit, b64) decode and fail by name: they are `invalid`, never valid (RFC 8725).
 */
export async function verifyVcJwt(jwt: unknown, opts: VcJwtOptions, list: CheckList): Promise<VcJwtVerification> {
  const max = opts.maxBytes ?? MAX_CREDENTIAL_JWT_BYTES;
  if (typeof jwt !== "string") {
    list.fail("format", "invalid", "credential is not a string");
    return { signatureVerified: false };
  }
  if (jwt.length > max) {
    list.fail("size", "invalid", `credential is ${jwt.length} bytes, limit ${max}`);
    return { signatureVerified: false };
  }
  list.pass("size");
  const token = jwt.trim();
  const decoded = decodeCompactJws(token, max);
  if (typeof decoded === "string") {
    list.fail("format", "invalid", decoded);
    return { signatureVerified: false };
  }
  list.pass("format");
  const { header, payload } = decoded;
  const alg = header.alg;
  const algOk = isAllowedAlg(alg);
  if (algOk) list.pass("algorithm", alg);
  else list.fail("algorithm", "invalid", `alg ${quote(alg)} not allowed (ES256, EdDSA only)`);
  const typ = normalizeTyp(header.typ);
  const typOk = typ !== null && (ALLOWED_TYPES as readonly string[]).includes(typ);
  if (typOk) list.pass("type", String(header.typ));
  else list.fail("type", "invalid", `typ ${quote(header.typ)} must be JWT or vc+jwt`);
  const refused = refusedHeaderProblem(header);
  if (refused) list.fail("header", "invalid", refused);
  else list.pass("header");
  if (!algOk || !typOk || refused) return { payload, signatureVerified: false };
  const signatureVerified = await checkKeyAndSignature(token, header, payload, alg, opts, list);
  checkClaims(payload, opts, list);
  checkDates(payload, opts, list);
  return { payload, signatureVerified };
}
