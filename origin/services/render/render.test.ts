import { describe, expect, it } from "vitest";
import { extractFromPng, bakePng } from "../../../shared/bake/png.ts";
import { BADGE_SIZE, pngSize, renderBadgeBase, renderCardPng } from "./index.ts";

describe("rendering inside workerd (satori standalone + resvg-wasm)", () => {
  it("renders a 1200×627 social card as a PNG", async () => {
    const png = await renderCardPng({
      achievementId: "a1",
      achievementName: "Certified Cloud Practitioner",
      issuerName: "Example University",
      recipientName: "Ada Lovelace",
      issuedOn: "2026-11-24",
    });
    expect(pngSize(png)).toEqual({ width: 1200, height: 627 });
    expect(png.length).toBeGreaterThan(5_000); // drawn, not an empty canvas
  });

  it("renders a square badge base that shared's baker can bake and read back", async () => {
    const base = await renderBadgeBase({ achievementId: "a2", achievementName: "Team Lead", issuerName: "Acme" });
    expect(pngSize(base)).toEqual({ width: BADGE_SIZE, height: BADGE_SIZE });
    expect(extractFromPng(bakePng(base, "header.payload.signature"))).toBe("header.payload.signature");
  });

  it("keeps long and non-Latin names from breaking the render", async () => {
    const png = await renderCardPng({
      achievementId: "a3",
      achievementName: "x".repeat(500),
      issuerName: "Ünïversität Zürich",
      recipientName: "José 山田 Ñandú",
      issuedOn: "2026-11-24",
    });
    expect(pngSize(png)).toEqual({ width: 1200, height: 627 });
  });
});
