import { describe, expect, it } from "vitest";
import { BakeError } from "./errors.ts";
import { tagAttributes, xmlTags } from "./xml-tags.ts";

const tags = (text: string) => [...xmlTags(text)].map((t) => `${t.kind === "end" ? "/" : ""}${t.name}${t.selfClosing ? "/" : ""}`);

function failure(text: string): string {
  try {
    [...xmlTags(text)];
  } catch (e) {
    if (e instanceof BakeError) return e.message;
    throw e;
  }
  return "no error";
}

describe("xmlTags", () => {
  it("yields start, self-closing and end tags in document order with their offsets", () => {
    const text = `<svg a="1" b='>'><g/><text>x &lt; y</text></svg>`;
    expect(tags(text)).toEqual(["svg", "g/", "text", "/text", "/svg"]);
    const [svg] = xmlTags(text);
    expect(text.slice(svg!.start, svg!.end)).toBe(`<svg a="1" b='>'>`);
    expect(tagAttributes(text, svg!)).toEqual(new Map([["a", "1"], ["b", ">"]]));
  });

  it("skips comments, CDATA, processing instructions and DOCTYPE with an internal subset", () => {
    const text = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e "<svg>">]><!-- <svg> --><svg><![CDATA[<openbadges:credential/>]]></svg>`;
    expect(tags(text)).toEqual(["svg", "/svg"]);
  });

  it("treats a '<' that starts no name as text", () => {
    expect(tags("a < b <svg>1 <= 2</svg>")).toEqual(["svg", "/svg"]);
  });

  it("refuses markup that never closes or is malformed, naming where", () => {
    expect(failure("<svg ")).toMatch(/unterminated start tag at character 0/);
    expect(failure("<svg <svg ")).toMatch(/unexpected character in start tag/);
    expect(failure("<svg a='1>")).toMatch(/unterminated attribute value/);
    expect(failure("<svg a=1>")).toMatch(/not quoted/);
    expect(failure("<svg a>")).toMatch(/without '='/);
    expect(failure("<svg a='1'b='2'>")).toMatch(/not separated/);
    expect(failure("<!-- x")).toMatch(/unterminated comment/);
    expect(failure("<![CDATA[ x")).toMatch(/unterminated CDATA/);
    expect(failure("<!DOCTYPE [ x")).toMatch(/unterminated DOCTYPE subset/);
    expect(failure("</svg")).toMatch(/malformed end tag/);
  });
});
