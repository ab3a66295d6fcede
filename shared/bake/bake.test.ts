import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.ts";
import { BakeError } from "./errors.ts";
import { bakePng, extractFromPng, isPng } from "./png.ts";
import { bakeSvg, extractFromSvg, OB_SVG_NAMESPACE } from "./svg.ts";

// A valid 1×1 RGBA PNG (IHDR, IDAT, IEND).
const PNG_1x1 = base64url.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg");
const JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6d2ViOmEifQ.c2lnbmF0dXJl";
const enc = new TextEncoder();

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(enc.encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function itxt(keyword: string, text: string, compressed = 0): Uint8Array {
  const k = enc.encode(keyword);
  const t = enc.encode(text);
  const data = new Uint8Array(k.length + 5 + t.length);
  data.set(k);
  data[k.length + 1] = compressed;
  data.set(t, k.length + 5);
  return chunk("iTXt", data);
}

/** Inserts raw chunks just before IEND (the last 12 bytes). */
function withChunks(png: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
  const parts = [png.subarray(0, png.length - 12), ...chunks, png.subarray(png.length - 12)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BakeError) return e.code;
    throw e;
  }
  return "NO_ERROR";
}

function chunkTypes(png: Uint8Array): string[] {
  const types: string[] = [];
  for (let at = 8; at < png.length; ) {
    const len = new DataView(png.buffer, png.byteOffset).getUint32(at);
    types.push(new TextDecoder().decode(png.subarray(at + 4, at + 8)));
    at += 12 + len;
  }
  return types;
}

describe("PNG baking (OB 3.0 §5.3.1)", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(enc.encode("123456789"))).toBe(0xcbf43926);
  });

  it("round-trips the JWT in an uncompressed iTXt chunk before IEND", () => {
    const baked = bakePng(PNG_1x1, JWT);
    expect(isPng(baked)).toBe(true);
    expect(chunkTypes(baked)).toEqual(["IHDR", "IDAT", "iTXt", "IEND"]);
    expect(extractFromPng(baked)).toBe(JWT);
    const text = new TextDecoder().decode(baked);
    expect(text).toContain(`openbadgecredential\0\0\0\0\0${JWT}`);
  });

  it("replaces an existing credential instead of adding a second one", () => {
    const twice = bakePng(bakePng(PNG_1x1, "old.jwt.value"), JWT);
    expect(chunkTypes(twice)).toEqual(["IHDR", "IDAT", "iTXt", "IEND"]);
    expect(extractFromPng(twice)).toBe(JWT);
  });

  it("keeps other text chunks", () => {
    const png = withChunks(PNG_1x1, itxt("Comment", "hello"));
    const baked = bakePng(png, JWT);
    expect(chunkTypes(baked)).toEqual(["IHDR", "IDAT", "iTXt", "iTXt", "IEND"]);
    expect(extractFromPng(baked)).toBe(JWT);
  });

  it("rejects a PNG with no credential", () => {
    expect(codeOf(() => extractFromPng(PNG_1x1))).toBe("NO_CREDENTIAL");
  });

  it("rejects two credential chunks", () => {
    const png = withChunks(PNG_1x1, itxt("openbadgecredential", JWT), itxt("openbadgecredential", "x.y.z"));
    expect(codeOf(() => extractFromPng(png))).toBe("DUPLICATE_CREDENTIAL");
  });

  it("rejects a compressed credential chunk", () => {
    expect(codeOf(() => extractFromPng(withChunks(PNG_1x1, itxt("openbadgecredential", JWT, 1))))).toBe(
      "COMPRESSED_CREDENTIAL",
    );
  });

  it("rejects a bad CRC anywhere", () => {
    const baked = bakePng(PNG_1x1, JWT);
    const corrupt = baked.slice();
    corrupt[baked.length - 30] = (corrupt[baked.length - 30] ?? 0) ^ 0x01; // inside the JWT text
    expect(codeOf(() => extractFromPng(corrupt))).toBe("BAD_CRC");
    const idat = baked.slice();
    idat[45] = (idat[45] ?? 0) ^ 0x01; // inside IDAT
    expect(codeOf(() => extractFromPng(idat))).toBe("BAD_CRC");
  });

  it("rejects truncated files and oversized chunk lengths", () => {
    const baked = bakePng(PNG_1x1, JWT);
    for (const cut of [baked.length - 1, baked.length - 12, 60, 20, 9]) {
      expect(codeOf(() => extractFromPng(baked.subarray(0, cut))), `cut at ${cut}`).toBe("TRUNCATED");
    }
    const huge = baked.slice();
    new DataView(huge.buffer).setUint32(33, 0x7fffff00); // the IDAT length
    expect(codeOf(() => extractFromPng(huge))).toBe("TRUNCATED");
  });

  it("rejects things that are not PNGs", () => {
    expect(codeOf(() => extractFromPng(enc.encode("GIF89a....")))).toBe("NOT_PNG");
    expect(codeOf(() => bakePng(new Uint8Array(0), JWT))).toBe("NOT_PNG");
  });
});

describe("SVG baking (OB 3.0 §5.3.2)", () => {
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- badge -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>`;

  it("declares the namespace and puts the credential right after <svg>", () => {
    const baked = bakeSvg(svg, JWT);
    expect(baked).toContain(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" xmlns:openbadges="${OB_SVG_NAMESPACE}">` +
        `<openbadges:credential verify="${JWT}"></openbadges:credential><circle r="4"/>`,
    );
    expect(OB_SVG_NAMESPACE).toBe("https://purl.imsglobal.org/ob/v3p0");
    expect(extractFromSvg(baked)).toBe(JWT);
  });

  it("replaces an existing credential and keeps one namespace declaration", () => {
    const twice = bakeSvg(bakeSvg(svg, "old.jwt.x"), JWT);
    expect(twice.match(/openbadges:credential /g)).toHaveLength(1);
    expect(twice.match(/xmlns:openbadges=/g)).toHaveLength(1);
    expect(extractFromSvg(twice)).toBe(JWT);
  });

  it("reads single-quoted and self-closing credential elements", () => {
    const s = `<svg xmlns:openbadges="${OB_SVG_NAMESPACE}"><openbadges:credential verify='${JWT}'/></svg>`;
    expect(extractFromSvg(s)).toBe(JWT);
  });

  it("rejects missing, duplicate and proof-less credentials", () => {
    expect(codeOf(() => extractFromSvg(svg))).toBe("NO_CREDENTIAL");
    const two = `<svg><openbadges:credential verify="a.b.c"/><openbadges:credential verify="d.e.f"/></svg>`;
    expect(codeOf(() => extractFromSvg(two))).toBe("DUPLICATE_CREDENTIAL");
    const json = `<svg><openbadges:credential><![CDATA[{"id":"x"}]]></openbadges:credential></svg>`;
    expect(codeOf(() => extractFromSvg(json))).toBe("NO_CREDENTIAL");
    expect(codeOf(() => extractFromSvg("<html></html>"))).toBe("NOT_SVG");
  });
});
