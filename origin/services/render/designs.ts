// The generated designs: a badge base image per achievement and a social card per credential.
// Both are drawn from names and a palette; the achievement's user-supplied imageUrl is never
// fetched (it could point anywhere, SSRF). Flat fills on purpose: with resvg-wasm a gradient
// doubles the rasterising time and makes the PNG several times larger (every baked badge is a
// copy of the base, so its size is paid once per credential in KV).
import { h, type Node } from "./element.ts";

export const BADGE_SIZE = 400;
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 627;

const PALETTES: [string, string][] = [
  ["#1e3a8a", "#3b82f6"],
  ["#14532d", "#22c55e"],
  ["#7c2d12", "#f97316"],
  ["#581c87", "#a855f7"],
  ["#831843", "#ec4899"],
  ["#134e4a", "#14b8a6"],
  ["#713f12", "#eab308"],
  ["#1f2937", "#6b7280"],
];

/** A stable palette for a seed (an achievement id), so a badge looks the same on every render. */
export function paletteFor(seed: string): [string, string] {
  let hash = 2166136261;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 16777619);
  return PALETTES[(hash >>> 0) % PALETTES.length]!;
}

// A five-pointed star as inline SVG (Inter's Latin subset has no ★ glyph).
function star(size: number): Node {
  return {
    type: "svg",
    props: {
      width: size,
      height: size,
      viewBox: "0 0 24 24",
      children: { type: "path", props: { fill: "#ffffff", d: "M12 2l2.94 6.26 6.86.78-5.1 4.66 1.4 6.76L12 17.02 5.9 20.46l1.4-6.76-5.1-4.66 6.86-.78z" } },
    },
  };
}

function clip(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** What a badge base shows: the achievement (its id picks the palette) and the issuer. */
export interface BadgeInput {
  achievementId: string;
  achievementName: string;
  issuerName: string;
}

/** What a social card shows: the badge's content plus the recipient and the issue date. */
export interface CardInput extends BadgeInput {
  recipientName: string;
  issuedOn: string;
}

/** The badge base: a medallion with the achievement and issuer names (the credential is baked in later). */
export function badgeDesign(input: BadgeInput): Node {
  const [dark, light] = paletteFor(input.achievementId);
  const name = clip(input.achievementName, 60);
  return h(
    "div",
    { width: "100%", height: "100%", display: "flex", alignItems: "center", justifyContent: "center", fontFamily: "Inter" },
    h(
      "div",
      {
        width: 384,
        height: 384,
        borderRadius: 192,
        backgroundColor: dark,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        border: `8px solid ${light}`,
      },
      h(
        "div",
        {
          width: 304,
          height: 304,
          borderRadius: 152,
          border: "3px solid rgba(255,255,255,0.55)",
          display: "flex",
          flexDirection: "column",
          alignItems: "center",
          justifyContent: "center",
          padding: 26,
          color: "#ffffff",
          textAlign: "center",
        },
        star(48),
        h("div", { fontSize: name.length > 30 ? 23 : 30, fontWeight: 700, marginTop: 12, lineHeight: 1.15 }, name),
        h("div", { fontSize: 15, fontWeight: 400, marginTop: 14, opacity: 0.9 }, clip(input.issuerName, 40)),
      ),
    ),
  );
}

/** The 1200×627 social card (og:image): recipient, achievement, issuer. */
export function cardDesign(input: CardInput): Node {
  const [dark, light] = paletteFor(input.achievementId);
  return h(
    "div",
    {
      width: "100%",
      height: "100%",
      display: "flex",
      fontFamily: "Inter",
      backgroundColor: dark,
      borderBottom: `16px solid ${light}`,
      padding: 56,
    },
    h(
      "div",
      {
        flex: 1,
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        backgroundColor: "#ffffff",
        borderRadius: 28,
        padding: "52px 64px",
        color: "#111827",
      },
      h("div", { fontSize: 26, fontWeight: 700, color: dark, letterSpacing: 2 }, "VERIFIED CREDENTIAL"),
      h(
        "div",
        { display: "flex", flexDirection: "column" },
        h("div", { fontSize: 64, fontWeight: 700, lineHeight: 1.1 }, clip(input.recipientName, 34)),
        h("div", { fontSize: 30, fontWeight: 400, color: "#4b5563", marginTop: 20 }, "earned"),
        h("div", { fontSize: 44, fontWeight: 700, color: dark, marginTop: 12, lineHeight: 1.15 }, clip(input.achievementName, 56)),
      ),
      h(
        "div",
        { display: "flex", justifyContent: "space-between", fontSize: 24, color: "#4b5563" },
        h("div", {}, `Issued by ${clip(input.issuerName, 48)}`),
        h("div", {}, input.issuedOn),
      ),
    ),
  );
}
