// `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the
// same run (a ratio, since these machines are noisy). `npm run bench -- verify edge` runs a subset.
// `npm run bench -- peak` (or `--peak`) runs the capacity model's peak shape (peak.ts); it is
// heavy, so only on request, never in the default set; so is `npm run bench -- batch-proofs` (a
// 10,000-row batch until every Data Integrity proof is published, batch-proofs.ts).
import { fileURLToPath } from "node:url";
import path from "node:path";

interface BenchResult {
  name: string;
  [figure: string]: unknown;
}

const benches: Record<string, string> = {
  verify: "./verify.ts",
  issuance: "./issuance.ts",
  edge: "./edge.ts",
  parsers: "./parsers.ts",
  "data-integrity": "./data-integrity.ts",
  peak: "./peak.ts",
  "batch-proofs": "./batch-proofs.ts",
};
const onRequestOnly = new Set(["peak", "batch-proofs"]);

const args = process.argv.slice(2);
const wanted = [...args.filter((a) => !a.startsWith("-")), ...(args.includes("--peak") ? ["peak"] : [])];
const names = wanted.length ? wanted : Object.keys(benches).filter((name) => !onRequestOnly.has(name));
const results: BenchResult[] = [];
for (const name of names) {
  const file = benches[name];
  if (!file) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(", ")}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  const module = await import(path.join(path.dirname(fileURLToPath(import.meta.url)), file));
  results.push(await module.run());
}
console.log("\n=== summary ===");
for (const result of results) console.log(JSON.stringify(result));
