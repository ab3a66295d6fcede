// Reads public keys out of a did.json or a jwks.json (DID Core §5.2-5.3, RFC 7517 §5).

import type { JWK } from "jose";
import { base64url } from "jose";
import { decodePublicKeyMultibase } from "../data-integrity/ed25519.ts";
import { publicJwkOf } from "./generate.ts";

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function absolute(id: string, did: string): string {
  return id.startsWith("#") ? `${did}${id}` : id;
}

/**
 * Member set on a key read from a Multikey method (an issuer's Data Integrity key). Keys are kept
 * apart by their method type: VC-JWT verification refuses such a key (`isMultikey`), Data
 * Integrity verification takes only such keys. A JWK may carry members its readers ignore (RFC 7517 §4).
 */
const MULTIKEY_MEMBER = "multikey";

/** Whether the key was read from a Multikey verification method (Controlled Identifiers §2.2.2). */
export function isMultikey(jwk: JWK): boolean {
  return (jwk as Record<string, unknown>)[MULTIKEY_MEMBER] === true;
}

function isPublicJwk(v: unknown): v is JWK {
  return isObject(v) && typeof v.kty === "string" && typeof v.x === "string";
}

/**
 * The method's public key as a JWK: `publicKeyJwk` (JsonWebKey2020), or an Ed25519 Multikey's
 * `publicKeyMultibase` (Controlled Identifiers §2.2.2, the Data Integrity keys) as an OKP JWK
 * marked `isMultikey`.
 */
function publicJwkOfMethod(vm: Obj): JWK | null {
  if (isPublicJwk(vm.publicKeyJwk)) return publicJwkOf(vm.publicKeyJwk);
  if (vm.type === "Multikey" && typeof vm.publicKeyMultibase === "string") {
    const raw = decodePublicKeyMultibase(vm.publicKeyMultibase);
    if (raw) return { kty: "OKP", crv: "Ed25519", x: base64url.encode(raw), [MULTIKEY_MEMBER]: true } as JWK;
  }
  return null;
}

function fromDidDocument(doc: Obj): JWK[] {
  const did = doc.id as string;
  const methods = new Map<string, Obj>();
  for (const vm of Array.isArray(doc.verificationMethod) ? doc.verificationMethod : []) {
    if (isObject(vm) && typeof vm.id === "string") methods.set(absolute(vm.id, did), vm);
  }
  const keys: JWK[] = [];
  // Only assertionMethod keys may sign credentials (DID Core §5.3.2).
  for (const ref of Array.isArray(doc.assertionMethod) ? doc.assertionMethod : []) {
    const vm = typeof ref === "string" ? methods.get(absolute(ref, did)) : isObject(ref) ? ref : undefined;
    if (!vm || typeof vm.id !== "string") continue;
    if (typeof vm.controller === "string" && vm.controller !== did) continue;
    const jwk = publicJwkOfMethod(vm);
    if (jwk) keys.push({ ...jwk, kid: absolute(vm.id, did) });
  }
  return keys;
}

/**
 * Public keys, each with `kid` = `<did>#<key id>`, from a DID document (its `assertionMethod`
 * JsonWebKey2020 and Ed25519 Multikey methods, DID Core §5.3.2) or a JWK Set (RFC 7517 §5). When `did` is given, only
 * keys of that DID are returned. Never throws; returns [] for anything unrecognised.
 */
export function keysFromDocument(doc: unknown, did?: string): JWK[] {
  if (!isObject(doc)) return [];
  let keys: JWK[] = [];
  if (typeof doc.id === "string" && doc.id.startsWith("did:")) {
    if (did !== undefined && doc.id !== did) return [];
    keys = fromDidDocument(doc);
  } else if (Array.isArray(doc.keys)) {
    keys = doc.keys.filter((k): k is JWK => isPublicJwk(k) && typeof k.kid === "string").map((k) => publicJwkOf(k));
  }
  return did === undefined ? keys : keys.filter((k) => k.kid?.startsWith(`${did}#`));
}
