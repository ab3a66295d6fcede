// Command-line arguments of `laurel` (CONTRACT.md "Offline verifier CLI").

/** Parsed `laurel verify` invocation. */
export interface VerifyArgs {
  command: "verify";
  input: string;
  trust: string[];
  json: boolean;
}

/** `--help` / no arguments. */
export interface HelpArgs {
  command: "help";
}

/** Usage text printed by `--help` and on argument errors. */
export const USAGE = `Usage: laurel verify <file.jwt | badge.png | badge.svg | URL | -> [--trust <file>]... [--json]

Verifies an Open Badges 3.0 credential (VC-JWT) and prints a summary.

  <input>          a compact JWT file, a baked PNG/SVG badge, {"credential": "<jwt>"} JSON,
                   a URL (a /c/<id> page URL fetches <url>.jwt), or - for standard input
  --trust <file>   a did.json, a jwks.json or a status list credential (JWT); repeatable.
                   With --trust nothing is fetched: a status no file answers is "unknown".
                   Without it the issuer's did:web document and the status list are fetched.
  --json           print the VerificationResult as JSON

Exit status: 0 valid, 1 not valid (revoked, expired, invalid, unknown...), 2 unusable input.`;

/** Parses argv (without node and script); returns an error message for exit status 2. */
export function parseArgs(argv: readonly string[]): VerifyArgs | HelpArgs | { error: string } {
  if (argv.includes("--help") || argv.includes("-h")) return { command: "help" };
  if (argv.length === 0) return { error: "missing command" };
  const [command, ...rest] = argv;
  if (command !== "verify") return { error: `unknown command: ${command}` };
  const trust: string[] = [];
  const inputs: string[] = [];
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--trust") {
      const file = rest[++i];
      if (file === undefined || file === "") return { error: "--trust needs a file" };
      trust.push(file);
    } else if (arg.startsWith("--trust=")) {
      const file = arg.slice("--trust=".length);
      if (file === "") return { error: "--trust needs a file" };
      trust.push(file);
    } else if (arg.startsWith("-") && arg !== "-") return { error: `unknown option: ${arg}` };
    else inputs.push(arg);
  }
  if (inputs.length !== 1) return { error: inputs.length === 0 ? "missing input" : "exactly one input expected" };
  return { command: "verify", input: inputs[0] as string, trust, json };
}
