// Test support for the CLI suites (Node only): runs a script with the oldest Node the CLI supports.
import { execFile, execFileSync } from "node:child_process";

/** Node 20 (the machine's system Node; override with LAUREL_TEST_NODE20): the CLI must run there. */
export const NODE20 = process.env.LAUREL_TEST_NODE20 ?? "/usr/bin/node";

/** Throws unless NODE20 really is a Node 20: a newer one would not prove the build runs on 20. */
export function assertNode20(): void {
  const version = execFileSync(NODE20, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith("v20.")) throw new Error(`${NODE20} is ${version}, not Node 20 (set LAUREL_TEST_NODE20)`);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> ...args` with NODE20, optionally feeding `stdin`. */
export function runNode20(script: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(NODE20, [script, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(stdin);
  });
}
