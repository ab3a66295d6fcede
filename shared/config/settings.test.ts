// Settings are parsed once per env object; a copy marked withSameSettings reuses its source's
// values (the origin makes one such copy per request for tracing), while a test's spread copy
// with a changed value is parsed afresh.
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { defineSettings, withSameSettings } from "./settings.ts";

function countingSettings() {
  let parses = 0;
  const settings = defineSettings({
    LIMIT: z.pipe(
      z.string(),
      z.transform((raw: string) => {
        parses++;
        return Number(raw);
      }),
    ),
  });
  return { settings, parses: () => parses };
}

describe("settings memo", () => {
  it("parses once per env, once for a withSameSettings copy's whole family, afresh for a spread copy", () => {
    const { settings, parses } = countingSettings();
    const env = { LIMIT: "5" };
    expect(settings.read(env, "LIMIT")).toBe(5);
    expect(settings.read(env, "LIMIT")).toBe(5);
    expect(parses()).toBe(1);
    const perRequest = withSameSettings({ ...env, TRACE: "t1" }, env);
    const nested = withSameSettings({ ...perRequest, TRACE: "t2" }, perRequest);
    expect(settings.read(perRequest, "LIMIT")).toBe(5);
    expect(settings.read(nested, "LIMIT")).toBe(5);
    expect(parses()).toBe(1);
    const changed = { ...perRequest, LIMIT: "7" }; // the mark is not enumerable: a spread is a new env
    expect(settings.read(changed, "LIMIT")).toBe(7);
    expect(parses()).toBe(2);
  });
});
