// The launcher reads PUBLIC_BASE_URL by the Workers' rule (shared/public-urls.ts): the edge URL by
// default, trailing slashes dropped, and a malformed one stops the launcher, naming the setting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readStackConfig } from "./config.ts";

const parent = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-config-"));
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));
const env = (more: NodeJS.ProcessEnv = {}) => ({ LAUREL_DATA_DIR: path.join(parent, "data"), ...more });

describe("local stack config: PUBLIC_BASE_URL", () => {
  it("defaults to the edge URL and drops trailing slashes", () => {
    expect(readStackConfig(parent, env({ EDGE_PORT: "9787" })).publicBaseUrl).toBe("http://127.0.0.1:9787");
    expect(readStackConfig(parent, env({ PUBLIC_BASE_URL: "https://verify.example.edu/laurel//" })).publicBaseUrl).toBe("https://verify.example.edu/laurel");
  });

  it("refuses a malformed PUBLIC_BASE_URL, naming it and the rule", () => {
    expect(() => readStackConfig(parent, env({ PUBLIC_BASE_URL: "verify.example.edu" }))).toThrow(/^PUBLIC_BASE_URL must be an absolute URL/);
    expect(() => readStackConfig(parent, env({ PUBLIC_BASE_URL: "https://verify.example.edu/?x=1" }))).toThrow(/^PUBLIC_BASE_URL must not carry a query or fragment/);
  });
});
