// GET /laurel-verify.mjs through the whole Worker: the one-file CLI build, as a cacheable script.
// That the served text runs on Node 20 and verifies offline is proven end to end in
// e2e/offline-verifier.e2e.test.ts (workerd cannot start Node).
import { describe, expect, it } from "vitest";
import { call } from "../test/fixtures.ts";

describe("GET /laurel-verify.mjs", () => {
  it("serves the offline verifier as one JavaScript module with caching headers", async () => {
    const res = await call("/laurel-verify.mjs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{24}"$/);
    const script = await res.text();
    expect(script.startsWith("#!/usr/bin/env node\n")).toBe(true);
    // One file: Node built-ins are its only imports (jose and the rest are bundled in).
    const imports = [...script.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => !name.startsWith("node:"))).toEqual([]);
    expect(script).toContain("export {\n  main\n};");
  });

  it("answers 304 to a client holding the current ETag, and HEAD without a body", async () => {
    const etag = (await call("/laurel-verify.mjs")).headers.get("etag")!;
    const again = await call("/laurel-verify.mjs", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await call("/laurel-verify.mjs", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});
