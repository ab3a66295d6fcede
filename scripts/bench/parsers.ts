// Hostile-input parsing: how long extractCredentialInput (and the JWS decoder) take to refuse 1 MB
// bodies built to hurt a backtracking or recursive parser, beside a linear baseline over the same
// text (JSON.parse of it as one string literal). A quadratic parser shows up as seconds, not a ratio.
// Run: npx node scripts/bench/parsers.ts
import { decodeCompactJws } from "../../shared/vc-jwt/parse.ts";
import { extractCredentialInput } from "../../shared/verify/input.ts";
import { runIfMain } from "./run-if-main.ts";

const ONE_MB = 1_000_000;

const inputs: Record<string, string> = {
  "svg-unclosed": "<svg ".repeat(ONE_MB / 5),
  "svg-credential-attrs": `<svg>${"<openbadges:credential a='".repeat(ONE_MB / 28)}`,
  "svg-comments": `<svg>${"<!---->".repeat(ONE_MB / 7)}</svg>`,
  "svg-many-tags": `<svg>${'<g a="1"/>'.repeat(ONE_MB / 10)}</svg>`,
  "json-nested": `{"credential":${"[".repeat(ONE_MB - 14)}`,
  "jwt-dots": "a.".repeat(ONE_MB / 2),
  "jwt-huge-header": `${"A".repeat(ONE_MB)}.e30.`,
};

function timeMs(fn: () => unknown, repeat: number): number {
  const started = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - started) / repeat;
}

/** Milliseconds per 1 MB input for each hostile shape, and the slowest one's ratio to the baseline. */
export async function run() {
  const figures: Record<string, number> = {};
  let worst = 0;
  for (const [name, text] of Object.entries(inputs)) {
    const parse = name.startsWith("jwt-huge") ? () => decodeCompactJws(text) : () => extractCredentialInput(text);
    parse(); // warm-up
    const ours = timeMs(parse, 5);
    const literal = JSON.stringify(text);
    const baseline = timeMs(() => JSON.parse(literal), 5);
    figures[`${name}Ms`] = Number(ours.toFixed(2));
    worst = Math.max(worst, ours / Math.max(baseline, 0.01));
    console.log(`${name.padEnd(22)} ${ours.toFixed(2)} ms per MB (baseline: JSON.parse of it as a string, ${baseline.toFixed(2)} ms)`);
  }
  const result = { name: "parsers", ...figures, worstRatioToBaseline: Number(worst.toFixed(1)) };
  console.log(JSON.stringify(result));
  return result;
}

runIfMain(import.meta.url, run);
