// Property tests of badge extraction (OB 3.0 §5.3): any bytes or markup end in a JWT string or a
// BakeError, never another exception; baking round-trips; hostile repetitions up to the verify
// body limit finish (a quadratic scanner hangs these tests; the per-test timeout bounds them).
import fc from "fast-check";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { BakeError } from "./errors.ts";
import { bakePng, extractFromPng } from "./png.ts";
import { bakeSvg, extractFromSvg } from "./svg.ts";

const PNG_1x1 = base64url.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg");
const RUNS = { numRuns: 300 };

/** Runs `fn`; passes when it returns a string or throws a BakeError, rethrows anything else. */
function stringOrBakeError(fn: () => string): string | BakeError {
  try {
    const value = fn();
    expect(typeof value).toBe("string");
    return value;
  } catch (e) {
    if (e instanceof BakeError) return e;
    throw e;
  }
}

const jwtText = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{0,40}$/);

// Markup built from the pieces the scanner treats specially, so the fuzzer reaches every branch.
const markupPiece = fc.constantFrom(
  "<svg", "<svg ", "</svg>", ">", "/>", "/", " ", "\n", "=", '"', "'", "a", "x=\"1\"", "<openbadges:credential",
  "</openbadges:credential>", 'verify="a.b.c"', "verify='&amp;'", "<!--", "-->", "<![CDATA[", "]]>", "<?xml", "?>",
  "<!DOCTYPE svg", "[", "]", "<", "&#x41;", "&#999999999;", "\u0000", "é",
);
const markup = fc.oneof(fc.array(markupPiece, { maxLength: 60 }).map((p) => p.join("")), fc.string({ maxLength: 200 }));

const svgDocument = fc
  .record({
    prolog: fc.constantFrom("", '<?xml version="1.0"?>\n', "<!-- badge -->", "<!DOCTYPE svg [<!ENTITY x '>'>]>"),
    attrs: fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9:-]{0,8}$/), fc.string({ maxLength: 12 })), { maxLength: 4 }),
    body: fc.constantFrom("", "<circle r='4'/>", "<g><text>a &lt; b</text></g>", "<![CDATA[<svg>]]>", "<!-- <svg> -->"),
  })
  .map(({ prolog, attrs, body }) => {
    const unique = [...new Map(attrs.filter(([n]) => n !== "xmlns:openbadges")).entries()];
    const attrText = unique.map(([n, v]) => ` ${n}="${v.replace(/[&"<]/g, "")}"`).join("");
    return `${prolog}<svg${attrText}>${body}</svg>`;
  });

describe("SVG extraction and baking, property-based", () => {
  it("any markup yields a JWT string or a BakeError", () => {
    fc.assert(fc.property(markup, (text) => void stringOrBakeError(() => extractFromSvg(text))), RUNS);
  });

  it("baking any well-formed SVG round-trips the JWT, also when baked twice", () => {
    fc.assert(
      fc.property(svgDocument, jwtText, jwtText, (svg, first, second) => {
        expect(extractFromSvg(bakeSvg(svg, first))).toBe(first);
        const twice = bakeSvg(bakeSvg(svg, first), second);
        expect(extractFromSvg(twice)).toBe(second);
        expect(twice.split("<openbadges:credential ").length).toBe(2);
      }),
      RUNS,
    );
  });

  it("baking markup either succeeds with an extractable JWT or throws a BakeError", () => {
    fc.assert(
      fc.property(markup, jwtText, (text, jwt) => {
        const baked = stringOrBakeError(() => bakeSvg(text, jwt));
        if (typeof baked === "string") expect(extractFromSvg(baked)).toBe(jwt);
      }),
      RUNS,
    );
  });

  it("1 MB of each hostile repetition is answered (linear scan)", { timeout: 20_000 }, () => {
    const patterns = ["<svg ", "<svg a='", '<svg a="x" ', "<svg><openbadges:credential a='", "<svg><!--", "<!DOCTYPE [", "<svg>&#x", "<svg", "<<", "<svg>" + "<openbadges:credential/>"];
    for (const pattern of patterns) {
      const text = pattern.repeat(Math.floor(1_000_000 / pattern.length));
      const outcome = stringOrBakeError(() => extractFromSvg(text));
      expect(outcome, pattern).toBeInstanceOf(BakeError);
    }
  });

  it("refuses SVGs over the size cap before scanning", () => {
    const huge = `<svg>${" ".repeat(3 * 1024 * 1024)}</svg>`;
    expect(stringOrBakeError(() => extractFromSvg(huge))).toMatchObject({ code: "TOO_LARGE" });
  });
});

describe("PNG extraction, property-based", () => {
  const baked = bakePng(PNG_1x1, "a.b.c");

  it("any bytes yield a JWT string or a BakeError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void stringOrBakeError(() => extractFromPng(bytes))), RUNS);
  });

  it("any mutation of a baked PNG (bytes flipped, cut, chunk lengths rewritten) yields a string or a BakeError", () => {
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat({ max: baked.length - 1 }), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      cut: fc.nat({ max: baked.length }),
      length: fc.option(fc.tuple(fc.constantFrom(8, 33, 50), fc.nat()), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ flips, cut, length }) => {
        const bytes = baked.slice(0, Math.max(cut, 8));
        for (const [at, xor] of flips) if (at < bytes.length) bytes[at]! ^= xor;
        if (length && length[0] + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(length[0], length[1]);
        stringOrBakeError(() => extractFromPng(bytes));
      }),
      RUNS,
    );
  });

  it("baking round-trips any credential text", () => {
    fc.assert(fc.property(jwtText, (jwt) => void expect(extractFromPng(bakePng(PNG_1x1, jwt))).toBe(jwt)), RUNS);
  });
});
