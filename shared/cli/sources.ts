// Where the CLI gets the credential, keys and status lists from: files, stdin or HTTP.

import { readFile } from "node:fs/promises";
import type { JWK } from "jose";
import { keysFromDocument } from "../keys/lookup.ts";
import { didWebToUrl } from "../keys/did-web.ts";
import { decodeCompactJws } from "../vc-jwt/parse.ts";

/** Thrown for unusable input or trust files: the CLI exits with status 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

const MAX_INPUT_BYTES = 40 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > MAX_INPUT_BYTES) throw new InputError("standard input is too large");
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** GET `url` with a timeout and size cap; throws with a readable message on any failure. */
export async function fetchBytes(url: string, accept: string): Promise<Uint8Array> {
  const res = await fetch(url, { headers: { accept }, redirect: "follow", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > MAX_INPUT_BYTES) throw new Error(`GET ${url}: response too large`);
  return body;
}

/** The URL to fetch for a credential URL: a `/c/<id>` page URL becomes `<url>.jwt` (CONTRACT.md "Edge"). */
export function credentialUrl(input: string): string {
  const url = new URL(input);
  if (/\/c\/[^/.]+\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, "")}.jwt`;
  return url.toString();
}

/** Reads the credential input: a file path, `-` for stdin, or an http(s) URL. */
export async function readInput(input: string): Promise<Uint8Array> {
  try {
    if (input === "-") return await readStdin();
    if (/^https?:\/\//i.test(input)) {
      return await fetchBytes(credentialUrl(input), "application/vc+jwt, application/jwt, image/png, */*");
    }
    const bytes = await readFile(input);
    if (bytes.length > MAX_INPUT_BYTES) throw new InputError(`${input} is too large`);
    return new Uint8Array(bytes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${input}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Keys and status lists loaded from `--trust` files. */
export interface TrustStore {
  keys: JWK[];
  statusLists: Map<string, string>;
}

/** Loads `--trust` files: did.json / jwks.json (keys) or status list credential JWTs. */
export async function loadTrust(files: readonly string[]): Promise<TrustStore> {
  const store: TrustStore = { keys: [], statusLists: new Map() };
  for (const file of files) {
    let text: string;
    try {
      text = (await readFile(file, "utf8")).trim();
    } catch (e) {
      throw new InputError(`cannot read trust file ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (text.startsWith("{")) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        throw new InputError(`trust file ${file} is not valid JSON`);
      }
      const keys = keysFromDocument(doc);
      if (keys.length === 0) throw new InputError(`trust file ${file} has no usable keys (expected did.json or jwks.json)`);
      store.keys.push(...keys);
      continue;
    }
    const decoded = decodeCompactJws(text);
    const type = typeof decoded === "string" ? undefined : decoded.payload.type;
    if (typeof decoded === "string" || !Array.isArray(type) || !type.includes("BitstringStatusListCredential")) {
      throw new InputError(`trust file ${file} is not a did.json, jwks.json or status list credential`);
    }
    store.statusLists.set(String(decoded.payload.id), text);
  }
  return store;
}

/** Issuer keys fetched from the did:web DID document (did:web §3.2 Read); null when unavailable. */
export async function fetchIssuerKeys(did: string): Promise<JWK[] | null> {
  const url = didWebToUrl(did);
  if (!url) return null;
  const doc: unknown = JSON.parse(new TextDecoder().decode(await fetchBytes(url, "application/did+json, application/json")));
  const keys = keysFromDocument(doc, did);
  return keys.length > 0 ? keys : null;
}

/** A status list credential fetched from its URL (Bitstring Status List v1.0 §3.2 step 1). */
export async function fetchStatusList(url: string): Promise<string> {
  if (!/^https?:\/\//i.test(url)) throw new Error(`status list URL ${url} is not http(s)`);
  return new TextDecoder().decode(await fetchBytes(url, "application/vc+jwt, application/jwt")).trim();
}
