// Builds the offline verifier (shared/cli/standalone.ts and all it imports, dependencies included)
// into ONE ES module for any Node >= 20: Node 20 cannot run the TypeScript sources, and the edge
// serves the same text at /laurel-verify.mjs for verifying with no install at all.
// Plain JavaScript on purpose: bin/laurel.mjs imports it on Node 20 to build on first run, and
// rebuilds whenever a source is newer than the build (so `npx laurel` never runs stale code).
// By hand: `node shared/cli/bundle.mjs`. The output, bin/dist/, is generated and git-ignored.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { jsonldWithoutNetworkEsbuild } from "../data-integrity/jsonld-platform.mjs";

const thisFile = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(thisFile), "../..");

/** Where bin/laurel.mjs runs the verifier from. */
export const CLI_BUILD = path.join(root, "bin/dist/laurel-verify.mjs");
/** The build's input files (relative to the repository root), for the staleness check. */
const INPUTS = `${CLI_BUILD}.inputs.json`;

const BANNER = `#!/usr/bin/env node
// Laurel offline verifier for Open Badges 3.0 credentials (VC-JWT or Data Integrity), one file for Node >= 20.
// Usage: node laurel-verify.mjs <file.jwt | credential.json | badge.png | badge.svg | URL | -> [--trust <file>]... [--json]
// Generated from Laurel's shared/cli sources; bundles jose (MIT, Filip Skokan), ipaddr.js (MIT, whitequark),
// jsonld and rdf-canonize (BSD-3-Clause, Digital Bazaar) and @scure/base (MIT, Paul Miller).`;

/** Bundles the CLI; returns the module text and the files it was made from. */
export async function bundleCli() {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(root, "shared/cli/standalone.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: ["node20"],
    // Readable on purpose: whoever runs a downloaded verifier can read what it does.
    minify: false,
    legalComments: "inline",
    // jsonld and rdf-canonize are CommonJS and require Node built-ins ("crypto", "https"): an ES
    // module bundle needs a real `require` for those.
    banner: { js: `${BANNER}\nimport { createRequire as __laurelCreateRequire } from "node:module";\nconst require = __laurelCreateRequire(import.meta.url);` },
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [jsonldWithoutNetworkEsbuild()],
  });
  return { text: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

/** Write then rename: a concurrent reader never sees a half-written file. */
export function writeAtomically(target, text) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, target);
}

function isFresh() {
  try {
    const builtAt = fs.statSync(CLI_BUILD).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(INPUTS, "utf8"));
    return [...inputs, thisFile].every((file) => fs.statSync(path.resolve(root, file)).mtimeMs <= builtAt);
  } catch {
    return false; // no build yet, or an input was removed
  }
}

/** Builds bin/dist/laurel-verify.mjs unless it is newer than every input; returns its path. */
export async function ensureCliBuilt() {
  if (isFresh()) return CLI_BUILD;
  const startedAt = new Date();
  const { text, inputs } = await bundleCli();
  writeAtomically(INPUTS, JSON.stringify(inputs));
  writeAtomically(CLI_BUILD, text);
  // Dated when the build started: a source saved during the build still counts as newer.
  fs.utimesSync(CLI_BUILD, startedAt, startedAt);
  return CLI_BUILD;
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  fs.rmSync(CLI_BUILD, { force: true });
  console.error(`built ${path.relative(process.cwd(), await ensureCliBuilt())}`);
}
