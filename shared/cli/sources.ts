// Where the CLI gets the credential, keys and status lists from: files, stdin or HTTP.

import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { JWK } from "jose";
import { readStreamCapped } from "../bytes.ts";
import { keysFromDocument } from "../keys/lookup.ts";
import { didWebToUrl } from "../keys/did-web.ts";
import { decodeCompactJws } from "../vc-jwt/parse.ts";
import { createHttpGet, type HttpGet } from "./http-get.ts";

/** Thrown for unusable input or trust files: the CLI exits with status 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

const MAX_INPUT_BYTES = 40 * 1024 * 1024;

/** The network getter of a real run: 10 s per document, 40 MiB at most, three same-origin redirects. */
export const defaultHttpGet: HttpGet = createHttpGet({ maxBytes: MAX_INPUT_BYTES, timeoutMs: 10_000, maxRedirects: 3 });

/** A whole file or stdin, streamed and capped: a FIFO or /dev/zero is cut off, never read to exhaustion. */
function readCapped(stream: Readable, label: string): Promise<Uint8Array> {
  const web = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  return readStreamCapped(web, MAX_INPUT_BYTES, () => new InputError(`${label} is larger than ${MAX_INPUT_BYTES} bytes`));
}

/** The URL to fetch for a credential URL: a `/c/<id>` page URL becomes `<url>.jwt` (the edge's JWT route). */
export function credentialUrl(input: string): string {
  const url = new URL(input);
  if (/\/c\/[^/.]+\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, "")}.jwt`;
  return url.toString();
}

/** Reads the credential input: a file path, `-` for stdin, or an http(s) URL. */
export async function readInput(input: string, get: HttpGet): Promise<Uint8Array> {
  try {
    if (input === "-") return await readCapped(process.stdin, "standard input");
    if (/^https?:\/\//i.test(input)) {
      return await get(credentialUrl(input), "application/vc+jwt, application/jwt, image/png, application/pdf, */*");
    }
    return await readCapped(createReadStream(input), input);
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
      text = new TextDecoder().decode(await readCapped(createReadStream(file), file)).trim();
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
export async function fetchIssuerKeys(did: string, get: HttpGet): Promise<JWK[] | null> {
  const url = didWebToUrl(did);
  if (!url) return null;
  const doc: unknown = JSON.parse(new TextDecoder().decode(await get(url, "application/did+json, application/json")));
  const keys = keysFromDocument(doc, did);
  return keys.length > 0 ? keys : null;
}

/** A status list credential fetched from its URL (Bitstring Status List v1.0 §3.2 step 1). */
export async function fetchStatusList(url: string, get: HttpGet): Promise<string> {
  return new TextDecoder().decode(await get(url, "application/vc+jwt, application/jwt")).trim();
}
