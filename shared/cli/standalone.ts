// Entry of the one-file build (shared/cli/bundle.mjs): exports `main` for bin/laurel.mjs, and runs
// it when the file itself is the script Node was started with (`node laurel-verify.mjs badge.png`).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "./main.ts";

export { main };

function isEntryScript(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryScript()) process.exitCode = await main(process.argv.slice(2));
