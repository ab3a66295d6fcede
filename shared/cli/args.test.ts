import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.ts";

describe("parseArgs", () => {
  const ok: [string[], { input: string; trust: string[]; json: boolean }][] = [
    [["verify", "a.jwt"], { input: "a.jwt", trust: [], json: false }],
    [["a.jwt"], { input: "a.jwt", trust: [], json: false }], // laurel-verify.mjs style
    [["verify", "-", "--json"], { input: "-", trust: [], json: true }],
    [["verify", "--trust", "d.json", "b.png", "--trust=s.jwt"], { input: "b.png", trust: ["d.json", "s.jwt"], json: false }],
    [["verify", "--", "-odd-name.jwt"], { input: "-odd-name.jwt", trust: [], json: false }],
    [["verify", "verify"], { input: "verify", trust: [], json: false }], // a file named verify
  ];
  it.each(ok)("%j", (argv, expected) => {
    expect(parseArgs(argv)).toEqual({ command: "verify", ...expected });
  });

  it.each([[["--help"]], [["verify", "x", "-h"]]])("%j asks for help", (argv) => {
    expect(parseArgs(argv)).toEqual({ command: "help" });
  });

  const errors: [string[], RegExp][] = [
    [[], /missing input/],
    [["verify"], /missing input/],
    [["verify", "a", "b"], /exactly one input/],
    [["sign", "a.jwt"], /unknown command: sign/],
    [["verify", "a", "--frobnicate"], /unknown option: --frobnicate/],
    [["verify", "a", "--trust"], /--trust/],
    [["verify", "a", "--trust="], /--trust needs a file/],
    [["verify", "a", "--trust", "-x"], /--trust/],
    [["verify", "a", "--json=1"], /--json/],
  ];
  it.each(errors)("%j is refused: %s", (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed).toHaveProperty("error");
    expect((parsed as { error: string }).error).toMatch(message);
    expect((parsed as { error: string }).error).not.toContain("\n");
  });
});
