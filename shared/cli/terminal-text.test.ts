import { describe, expect, it } from "vitest";
import { escapeForTerminal, jsonForTerminal } from "./terminal-text.ts";

describe("escapeForTerminal", () => {
  const cases: [string, string][] = [
    ["Ada Lovelace", "Ada Lovelace"],
    ["Zoë Ñúñez 李雷 محمد", "Zoë Ñúñez 李雷 محمد"],
    ["👩‍💻 dev", "👩‍💻 dev"], // ZWJ sequences stay intact
    ["\u001b[2J\u001b]0;title\u0007", "\\u{001B}[2J\\u{001B}]0;title\\u{0007}"],
    ["a\rb\nc\td", "a\\u{000D}b\\u{000A}c\\u{0009}d"],
    ["\u007f\u0085\u009b31m", "\\u{007F}\\u{0085}\\u{009B}31m"], // DEL, NEL, C1 CSI
    ["abc\u202edcba", "abc\\u{202E}dcba"],
    ["\u202a\u202b\u202c\u202d", "\\u{202A}\\u{202B}\\u{202C}\\u{202D}"],
    ["\u2066\u2067\u2068\u2069", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"],
    ["\u200e\u200f\u061c", "\\u{200E}\\u{200F}\\u{061C}"],
    ["in\u200bvisible\ufeff", "in\\u{200B}visible\\u{FEFF}"],
    ["line\u2028sep\u2029", "line\\u{2028}sep\\u{2029}"],
    ["tag\u{e0041}\u{e007f}", "tag\\u{E0041}\\u{E007F}"],
    ["lone\ud800", "lone\\u{D800}"],
  ];
  it.each(cases)("%j", (input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });
});

describe("jsonForTerminal", () => {
  it("escapes C1 and bidi characters as JSON escapes: the parsed value is unchanged", () => {
    const value = { name: "x\u202ey\u0085\u001b\u2066z", n: [1, "\ud800"] };
    const text = jsonForTerminal(value);
    expect(text).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u001b]/);
    expect(text).toContain("\\u202e");
    expect(JSON.parse(text)).toEqual(value);
  });
});
