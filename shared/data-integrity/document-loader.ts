// The JSON-LD document loader for signing and verifying: bundled contexts only, never the network.
// Fetching a context at verify time would let whoever serves it change what a signature means and
// would make every verification depend on (and leak to) a third-party server.
/// <reference path="./jsonld.d.ts" />
import type { RemoteDocument } from "jsonld";
import credentialsV2 from "./contexts/credentials-v2.json" with { type: "json" };
import obContext303 from "./contexts/ob-context-3.0.3.json" with { type: "json" };
import obExtensions from "./contexts/ob-extensions.json" with { type: "json" };
import { DataIntegrityError } from "./errors.ts";

/** Every context URL a document may use, with its bundled copy (contexts/SOURCE.md). */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ["https://www.w3.org/ns/credentials/v2", credentialsV2],
  ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", obContext303],
  ["https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", obExtensions],
]);

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** A loader answering from `contexts` and refusing any other URL with `unknown_context`. */
export function staticDocumentLoader(contexts: ReadonlyMap<string, unknown>): DocumentLoader {
  return async (url) => {
    const document = contexts.get(url);
    if (document === undefined) {
      throw new DataIntegrityError("unknown_context", `the JSON-LD context ${JSON.stringify(url.slice(0, 200))} is not one Laurel knows`);
    }
    // A deep copy: the JSON-LD processor must never be able to change the bundled original.
    return { contextUrl: null, document: structuredClone(document), documentUrl: url };
  };
}

/** The loader Laurel signs and verifies with. */
export const bundledDocumentLoader: DocumentLoader = staticDocumentLoader(BUNDLED_CONTEXTS);
