// Each benchmark runs on its own (`node scripts/bench/<name>.ts`) or from `npm run bench`.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Runs `run` when the module at `moduleUrl` is the process's entry script; exits 1 on failure. */
export function runIfMain(moduleUrl: string, run: () => Promise<unknown>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  run().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
