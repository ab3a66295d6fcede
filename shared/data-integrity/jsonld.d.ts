// Types for the part of `jsonld` (Digital Bazaar, untyped JS) that Laurel uses: RDF canonicalization.
declare module "jsonld" {
  export interface RemoteDocument {
    contextUrl: string | null;
    document: unknown;
    documentUrl: string;
  }
  export interface CanonizeOptions {
    algorithm: "RDFC-1.0";
    format: "application/n-quads";
    documentLoader: (url: string) => Promise<RemoteDocument>;
    /** Fail instead of dropping terms or values that have no IRI (jsonld "safe mode"). */
    safe: boolean;
    /** rdf-canonize's bound on the blank-node work (RDFC-1.0 §4.4 poison graphs); 1 = linear-ish. */
    maxWorkFactor?: number;
    signal?: AbortSignal;
  }
  const jsonld: {
    canonize(input: unknown, options: CanonizeOptions): Promise<string>;
  };
  export default jsonld;
}
