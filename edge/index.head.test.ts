import { describe, expect, it } from "vitest";
import { call } from "./test/fixtures.ts";

describe("HEAD requests", () => {
  it("answer like GET, with headers and no body", async () => {
    const res = await call("/healthz", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.text()).toBe("");
  });

  it("answer 404 for unknown paths, like GET", async () => {
    const res = await call("/nothing-here", { method: "HEAD" });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("");
  });
});
