// LMS API tokens at rest: sealed like signing keys (AES-256-GCM under a key derived from
// KEY_ENCRYPTION_SECRET, services/signing/key-encryption.ts), with their own HKDF purpose and bound
// to the org and integration as associated data, so a ciphertext copied to another row never opens.
import { base64url } from "jose";
import { deriveKey } from "../signing/key-encryption.ts";

const FORMAT = "v1";
const PURPOSE = "integration-token-encryption";
const encoder = new TextEncoder();

function aad(orgId: string, integrationId: string): Uint8Array {
  return encoder.encode(`integration-token\u0000${orgId}\u0000${integrationId}`);
}

/** Seals an LMS token for `integrations.token_encrypted`: `v1.<iv>.<ciphertext>`. */
export async function sealToken(secret: string, orgId: string, integrationId: string, token: string): Promise<string> {
  const key = await deriveKey(secret, PURPOSE, "aes-gcm");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(orgId, integrationId) }, key, encoder.encode(token));
  return `${FORMAT}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** Opens a sealed token; throws when the secret, org or integration do not match. */
export async function openToken(secret: string, orgId: string, integrationId: string, sealed: string): Promise<string> {
  const [format, iv, data] = sealed.split(".");
  if (format !== FORMAT || !iv || !data) throw new Error(`unknown sealed token format for integration ${integrationId}`);
  const key = await deriveKey(secret, PURPOSE, "aes-gcm");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: base64url.decode(iv), additionalData: aad(orgId, integrationId) }, key, base64url.decode(data));
  return new TextDecoder().decode(plain);
}
