// Builds the browser assets (the /verify verifier, the page enhancements, the service worker) with
// esbuild into edge/assets/dist/*.js.txt, and the offline verifier for Node (shared/cli/bundle.mjs)
// into dist/laurel-verify.mjs.txt: the Worker imports them as Text modules.
// Runs as wrangler's [build] command (wrangler dev / deploy), as the edge test project's vitest
// globalSetup, and by hand: `node edge/assets/build.mjs`. dist/ is generated, never committed.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleCli, writeAtomically } from "../../shared/cli/bundle.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRIES = { verify: "browser/verify.ts", page: "browser/page.ts", sw: "browser/sw.ts" };

/** Bundles every entry; rewrites an output file only when its content changed (no watch loops). */
export async function buildAssets() {
  const outDir = path.join(here, "dist");
  fs.mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(here, file)])),
    outdir: outDir,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  const outputs = result.outputFiles.map((file) => ({ target: `${file.path}.txt`, text: file.text }));
  outputs.push({ target: path.join(outDir, "laurel-verify.mjs.txt"), text: (await bundleCli()).text });
  const written = [];
  for (const { target, text } of outputs) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
    if (current !== text) {
      writeAtomically(target, text); // wrangler or vitest may be reading concurrently
      written.push(path.basename(target));
    }
  }
  return written;
}

/** vitest globalSetup entry. */
export default async function setup() {
  await buildAssets();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const written = await buildAssets();
  console.error(`edge assets built in ${Date.now() - started} ms${written.length ? ` (updated ${written.join(", ")})` : " (unchanged)"}`);
}
