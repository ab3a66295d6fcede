// The vendored @simplewebauthn/browser bundle the console serves must be the installed package's
// own build: updating the dependency without re-copying the file fails here. To re-copy:
// cp node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js origin/console/assets/vendor/simplewebauthn-browser.umd.min.js.txt
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("vendored @simplewebauthn/browser", () => {
  it("equals the installed package's bundle", () => {
    // The package's exports name no file of dist/, so it is read by its path in node_modules.
    const installed = fs.readFileSync(path.join(process.cwd(), "node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js"), "utf8");
    const vendored = fs.readFileSync(new URL("./vendor/simplewebauthn-browser.umd.min.js.txt", import.meta.url), "utf8");
    expect(vendored).toBe(installed);
  });
});
