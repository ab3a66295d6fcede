// `jsonld`'s Node entry imports an HTTP client (@digitalbazaar/http-client, built on undici) for
// its network document loader. workerd cannot load undici, and Laurel never uses that loader (its
// own answers from bundled contexts only: document-loader.ts), so the bundlers that take jsonld's
// Node entry get an empty client instead (jsonld-no-network.cjs): vitest's workerd projects and
// the Node CLI bundle. wrangler and the browser bundle already take jsonld's browser entry.
// Plain JavaScript: shared/cli/bundle.mjs runs it on Node 20.
import path from "node:path";
import { fileURLToPath } from "node:url";

const HTTP_CLIENT = "@digitalbazaar/http-client";
const JSONLD_DIR = `${path.sep}node_modules${path.sep}jsonld${path.sep}`;
const NO_NETWORK = path.join(path.dirname(fileURLToPath(import.meta.url)), "jsonld-no-network.cjs");

function isJsonldHttpClient(specifier, importer) {
  return specifier === HTTP_CLIENT && typeof importer === "string" && importer.includes(JSONLD_DIR);
}

/** Vite/vitest plugin (the workerd projects resolve bare requires through Vite). */
export function jsonldWithoutNetworkVite() {
  return {
    name: "laurel-jsonld-without-network",
    enforce: "pre",
    resolveId(specifier, importer) {
      return isJsonldHttpClient(specifier, importer) ? NO_NETWORK : null;
    },
  };
}

/** esbuild plugin. */
export function jsonldWithoutNetworkEsbuild() {
  return {
    name: "laurel-jsonld-without-network",
    setup(build) {
      build.onResolve({ filter: /^@digitalbazaar\/http-client$/ }, (args) =>
        isJsonldHttpClient(args.path, args.importer) ? { path: NO_NETWORK } : undefined,
      );
    },
  };
}
