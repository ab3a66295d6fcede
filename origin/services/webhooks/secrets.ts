// Webhook signing secrets (Standard Webhooks): `whsec_` + base64 of 32 random bytes, stored
// encrypted at rest (AES-256-GCM under a key derived from KEY_ENCRYPTION_SECRET, bound to the org
// and endpoint as associated data, so a ciphertext copied onto another row does not decrypt).
import { base64url } from "jose";
import { randomBytes } from "../../auth/random-token.ts";
import { deriveKey } from "../signing/key-encryption.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMAT = "v1";
const PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A new secret: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return PREFIX + toBase64(randomBytes(32));
}

function aad(orgId: string, endpointId: string): Uint8Array {
  return encoder.encode(`webhook-secret\u0000${orgId}\u0000${endpointId}`);
}

/** Encrypts a secret for the endpoint's row: `v1.<iv>.<ciphertext>`. */
export async function sealWebhookSecret(masterSecret: string, orgId: string, endpointId: string, secret: string): Promise<string> {
  const key = await deriveKey(masterSecret, "webhook-secret-encryption", "aes-gcm");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(orgId, endpointId) }, key, encoder.encode(secret));
  return `${FORMAT}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** Reverses `sealWebhookSecret`; throws when the master secret, org or endpoint do not match. */
export async function openWebhookSecret(masterSecret: string, orgId: string, endpointId: string, sealed: string): Promise<string> {
  const [format, iv, data] = sealed.split(".");
  if (format !== FORMAT || !iv || !data) throw new Error(`unknown sealed webhook secret format for endpoint ${endpointId}`);
  const key = await deriveKey(masterSecret, "webhook-secret-encryption", "aes-gcm");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64url.decode(iv), additionalData: aad(orgId, endpointId) },
    key,
    base64url.decode(data),
  );
  return decoder.decode(plain);
}

/**
 * One `v1,<signature>` entry of the webhook-signature header: base64 of HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part after `whsec_`.
 */
export async function signatureEntry(secret: string, messageId: string, timestampSeconds: number, body: string): Promise<string> {
  const raw = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${messageId}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}
