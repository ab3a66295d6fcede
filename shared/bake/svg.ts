// Baked SVG badges: `<openbadges:credential verify="<VC-JWT>"/>` right after the `<svg>` start tag
// (OB 3.0 §5.3.2 SVG).

import { BakeError } from "./errors.ts";

/** Namespace of the `openbadges` prefix in baked SVGs (OB 3.0 §5.3.2.1). */
export const OB_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0";

/** Largest SVG accepted for baking or extraction (8 MiB of text). */
export const MAX_SVG_CHARS = 8 * 1024 * 1024;

const ATTRS = `(?:"[^"]*"|'[^']*'|[^'">])*`;
const SVG_START = new RegExp(`<svg(?=[\\s/>])(${ATTRS})>`);
const CREDENTIAL = new RegExp(
  `<openbadges:credential(?=[\\s/>])(${ATTRS}?)(?:/>|>([\\s\\S]*?)</openbadges:credential\\s*>)`,
  "g",
);

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function findSvgStart(svg: string): RegExpExecArray {
  if (svg.length > MAX_SVG_CHARS) throw new BakeError("TOO_LARGE", `SVG larger than ${MAX_SVG_CHARS} characters`);
  const start = SVG_START.exec(svg);
  if (!start) throw new BakeError("NOT_SVG", "no <svg> start tag found");
  if (start[0].endsWith("/>")) throw new BakeError("NOT_SVG", "empty <svg/> element");
  return start;
}

/**
 * Bakes the compact VC-JWT into an SVG (OB 3.0 §5.3.2.1): declares `xmlns:openbadges` on the root
 * and puts `<openbadges:credential verify="...">` directly after the `<svg>` tag, replacing any
 * existing credential element. Throws BakeError NOT_SVG / TOO_LARGE.
 */
export function bakeSvg(svg: string, jwt: string): string {
  const stripped = svg.replace(CREDENTIAL, "");
  const start = findSvgStart(stripped);
  const attrs = start[1] ?? "";
  const tag = /\sxmlns:openbadges\s*=/.test(attrs) ? start[0] : `<svg${attrs} xmlns:openbadges="${OB_SVG_NAMESPACE}">`;
  const element = `<openbadges:credential verify="${escapeAttr(jwt)}"></openbadges:credential>`;
  const at = start.index;
  return stripped.slice(0, at) + tag + element + stripped.slice(at + start[0].length);
}

/**
 * The VC-JWT in an SVG's `verify` attribute (OB 3.0 §5.3.2.2). Throws BakeError NOT_SVG,
 * NO_CREDENTIAL (also for embedded-proof JSON, which Laurel does not issue), DUPLICATE_CREDENTIAL.
 */
export function extractFromSvg(svg: string): string {
  findSvgStart(svg);
  const found = [...svg.matchAll(CREDENTIAL)];
  if (found.length === 0) throw new BakeError("NO_CREDENTIAL", "SVG has no <openbadges:credential> element");
  if (found.length > 1) throw new BakeError("DUPLICATE_CREDENTIAL", "SVG has more than one <openbadges:credential>");
  const attrs = found[0]?.[1] ?? "";
  const verify = /\sverify\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attrs);
  const value = verify ? (verify[1] ?? verify[2] ?? "") : "";
  if (value.trim() === "") throw new BakeError("NO_CREDENTIAL", "<openbadges:credential> has no verify attribute (VC-JWT)");
  return unescapeAttr(value).trim();
}
