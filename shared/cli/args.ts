// Command-line arguments of `laurel verify` (and of the standalone laurel-verify.mjs, where the
// command word is optional), parsed by node:util's parseArgs.

import { parseArgs as parseNodeArgs } from "node:util";

/** Parsed `laurel verify` invocation. */
export interface VerifyArgs {
  command: "verify";
  input: string;
  trust: string[];
  json: boolean;
}

/** `--help` / `-h`. */
export interface HelpArgs {
  command: "help";
}

/** Usage text printed by `--help` and on argument errors. */
export const USAGE = `Usage: laurel verify <file.jwt | badge.png | badge.svg | URL | -> [--trust <file>]... [--json]
       node laurel-verify.mjs <same arguments, the word "verify" optional>

Verifies an Open Badges 3.0 credential (VC-JWT) and prints a summary.

  <input>          a compact JWT file, a baked PNG/SVG badge, {"credential": "<jwt>"} JSON,
                   a URL (a /c/<id> page URL fetches <url>.jwt), or - for standard input
  --trust <file>   a did.json, a jwks.json or a status list credential (JWT); repeatable.
                   With --trust nothing is fetched: a status no file answers is "unknown".
                   Without it the issuer's did:web document and the status list are fetched
                   (https only; http only to localhost; never private or link-local addresses).
  --json           print the VerificationResult as JSON

Exit status: 0 valid, 1 not valid (revoked, expired, invalid, unknown...), 2 unusable input.`;

/** parseArgs' own messages for its error codes are long; these name the rule in one line. */
function messageOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const first = String(e.message ?? error).split("\n")[0]!;
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return first.replace(/^Unknown option '([^']*)'.*$/, "unknown option: $1");
  return first;
}

/** Parses argv (without node and script); returns an error message for exit status 2. */
export function parseArgs(argv: readonly string[]): VerifyArgs | HelpArgs | { error: string } {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      options: {
        trust: { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return { error: messageOf(e) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const inputs = positionals[0] === "verify" ? positionals.slice(1) : positionals;
  if (inputs.length === 0) return { error: "missing input (a file, a URL or - for standard input)" };
  if (inputs.length > 1) {
    return { error: positionals[0] === "verify" ? "exactly one input expected" : `unknown command: ${positionals[0]} (the only command is verify)` };
  }
  const trust = values.trust ?? [];
  if (trust.some((file) => file === "")) return { error: "--trust needs a file" };
  return { command: "verify", input: inputs[0]!, trust, json: values.json ?? false };
}
