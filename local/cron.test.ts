import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cronsOf, firesAt } from "./cron.ts";

describe("local cron triggers", () => {
  it("reads the origin's crons from its wrangler.toml", () => {
    const toml = fs.readFileSync(path.join(import.meta.dirname, "../origin/wrangler.toml"), "utf8");
    expect(cronsOf(toml)).toEqual(["* * * * *", "*/30 * * * *"]);
    expect(cronsOf('[vars]\nA = "1"\n[triggers]\ncrons = ["5 * * * *"]\n[[rules]]\ncrons = ["nope"]\n')).toEqual(["5 * * * *"]);
    expect(cronsOf("[vars]\n")).toEqual([]);
  });

  it("fires every-minute, stepped and fixed-minute crons on their minutes only", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 16, minute));
    expect(firesAt("* * * * *", at(7))).toBe(true);
    expect([0, 15, 30, 45].map((m) => firesAt("*/30 * * * *", at(m)))).toEqual([true, false, true, false]);
    expect([4, 5].map((m) => firesAt("5 * * * *", at(m)))).toEqual([false, true]);
    expect(firesAt("0 3 * * *", at(0))).toBeNull(); // hour fields are not scheduled locally
  });
});
