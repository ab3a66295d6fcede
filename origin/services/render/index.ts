// Badge and card images for credentials (see designs.ts; engine.ts does the drawing).
import { BADGE_SIZE, CARD_HEIGHT, CARD_WIDTH, badgeDesign, cardDesign, type BadgeInput, type CardInput } from "./designs.ts";
import { renderPng } from "./engine.ts";

export { BADGE_SIZE, CARD_HEIGHT, CARD_WIDTH } from "./designs.ts";

/** The achievement's badge base image (no credential baked in yet), BADGE_SIZE square. */
export function renderBadgeBase(input: BadgeInput) {
  return renderPng(badgeDesign(input), BADGE_SIZE, BADGE_SIZE);
}

/** A credential's 1200×627 social card. */
export function renderCardPng(input: CardInput) {
  return renderPng(cardDesign(input), CARD_WIDTH, CARD_HEIGHT);
}

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2), or null when it is no PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return null;
  if (String.fromCharCode(...png.subarray(12, 16)) !== "IHDR") return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
