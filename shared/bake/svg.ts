// Baked SVG badges: `<openbadges:credential verify="<VC-JWT>"/>` right after the `<svg>` start tag
// (OB 3.0 §5.3.2 SVG). Markup is read with the linear tag scanner of xml-tags.ts.

import { BakeError } from "./errors.ts";
import { tagAttributes, xmlTags, type XmlTag } from "./xml-tags.ts";

/** Namespace of the `openbadges` prefix in baked SVGs (OB 3.0 §5.3.2.1). */
export const OB_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0";

/** Largest SVG accepted for baking or extraction (2 MiB of text; badge SVGs are a few KiB). */
export const MAX_SVG_CHARS = 2 * 1024 * 1024;

const CREDENTIAL_TAG = "openbadges:credential";

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// The predefined entities and character references (XML 1.0 §4.6, §4.1), in one linear pass.
function unescapeAttr(value: string): string {
  const named: Record<string, string> = { quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" };
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref[0] !== "#") return named[ref] ?? whole;
    const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The root `<svg>` start tag and every credential element (start tag to end tag) of an SVG. */
interface SvgLayout {
  root: XmlTag;
  credentials: { start: XmlTag; end: number }[];
}

// One pass over the tags. The root is the first `svg` start tag outside a credential element.
function layout(svg: string): SvgLayout {
  if (svg.length > MAX_SVG_CHARS) throw new BakeError("TOO_LARGE", `SVG larger than ${MAX_SVG_CHARS} characters`);
  let root: XmlTag | undefined;
  const credentials: { start: XmlTag; end: number }[] = [];
  let open: XmlTag | undefined; // the credential element being read, until its end tag
  let depth = 0; // nesting of credential elements inside `open`
  for (const tag of xmlTags(svg)) {
    if (tag.name === CREDENTIAL_TAG) {
      if (tag.kind === "start" && tag.selfClosing) {
        if (!open) credentials.push({ start: tag, end: tag.end });
      } else if (tag.kind === "start") {
        if (open) depth++;
        else open = tag;
      } else if (open && depth > 0) {
        depth--;
      } else if (open) {
        credentials.push({ start: open, end: tag.end });
        open = undefined;
      }
    } else if (!root && !open && tag.kind === "start" && tag.name === "svg") {
      if (tag.selfClosing) throw new BakeError("NOT_SVG", "empty <svg/> element");
      root = tag;
    }
  }
  if (open) credentials.push({ start: open, end: svg.length });
  if (!root) throw new BakeError("NOT_SVG", "no <svg> start tag found");
  return { root, credentials };
}

/**
 * Bakes the compact VC-JWT into an SVG (OB 3.0 §5.3.2.1): declares `xmlns:openbadges` on the root
 * and puts `<openbadges:credential verify="...">` directly after the `<svg>` tag, replacing any
 * existing credential element. Throws BakeError NOT_SVG / TOO_LARGE.
 */
export function bakeSvg(svg: string, jwt: string): string {
  const { root, credentials } = layout(svg);
  const declared = tagAttributes(svg, root).has("xmlns:openbadges");
  const tag = declared ? svg.slice(root.start, root.end) : `${svg.slice(root.start, root.attrEnd)} xmlns:openbadges="${OB_SVG_NAMESPACE}">`;
  const element = `<${CREDENTIAL_TAG} verify="${escapeAttr(jwt)}"></${CREDENTIAL_TAG}>`;
  // Credential elements never contain the root (layout skips svg tags inside them): the edits
  // below are disjoint, and applied in document order.
  const edits = [
    { from: root.start, to: root.end, text: tag + element },
    ...credentials.map((c) => ({ from: c.start.start, to: c.end, text: "" })),
  ].sort((a, b) => a.from - b.from);
  let out = "";
  let at = 0;
  for (const edit of edits) {
    out += svg.slice(at, edit.from) + edit.text;
    at = edit.to;
  }
  return out + svg.slice(at);
}

/**
 * The VC-JWT in an SVG's `verify` attribute (OB 3.0 §5.3.2.2). Throws BakeError NOT_SVG (also for
 * markup that is not well-formed), TOO_LARGE, NO_CREDENTIAL (also for embedded-proof JSON, which
 * Laurel does not issue), DUPLICATE_CREDENTIAL.
 */
export function extractFromSvg(svg: string): string {
  const { credentials } = layout(svg);
  if (credentials.length === 0) throw new BakeError("NO_CREDENTIAL", "SVG has no <openbadges:credential> element");
  if (credentials.length > 1) throw new BakeError("DUPLICATE_CREDENTIAL", "SVG has more than one <openbadges:credential>");
  const value = tagAttributes(svg, credentials[0]!.start).get("verify") ?? "";
  if (value.trim() === "") throw new BakeError("NO_CREDENTIAL", "<openbadges:credential> has no verify attribute (VC-JWT)");
  return unescapeAttr(value).trim();
}
