// RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document, via Digital Bazaar's `jsonld`
// (which runs `rdf-canonize`): JSON-LD expansion and canonicalization are far too subtle to hand-write.
/// <reference path="./jsonld.d.ts" />
import jsonld from "jsonld";
import { DataIntegrityError } from "./errors.ts";
import type { DocumentLoader } from "./document-loader.ts";

/**
 * The canonical N-Quads of `document`. Safe mode: a term or value the contexts do not define
 * fails instead of being silently dropped (a dropped term would be content the signature does not
 * cover). The work factor bounds RDFC-1.0's blank-node hashing, so a crafted graph cannot stall.
 */
export async function canonicalize(document: unknown, documentLoader: DocumentLoader): Promise<string> {
  try {
    return await jsonld.canonize(document, {
      algorithm: "RDFC-1.0",
      format: "application/n-quads",
      documentLoader,
      safe: true,
      maxWorkFactor: 1,
    });
  } catch (error) {
    throw asDataIntegrityError(error);
  }
}

/** jsonld wraps a loader's error (jsonld.InvalidUrl / loading document failed): find ours inside. */
function asDataIntegrityError(error: unknown): DataIntegrityError {
  for (let cause: unknown = error, depth = 0; cause && depth < 8; depth++) {
    if (cause instanceof DataIntegrityError) return cause;
    const c = cause as { cause?: unknown; details?: { cause?: unknown } };
    cause = c.cause ?? c.details?.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DataIntegrityError("canonicalization_failed", `the document cannot be canonicalized as JSON-LD: ${message.slice(0, 300)}`);
}
