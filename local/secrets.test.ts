// Local secrets stay private: the data folder is 0700, the files holding secrets 0600, and a
// secret is made once per data folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readStackConfig } from "./config.ts";
import { localSecret, writeSecretsEnvFile } from "./secrets.ts";

const parent = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-secrets-"));
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("local secrets", () => {
  it("creates the data folder 0700 and secrets.json 0600, once per folder", () => {
    const dataDir = path.join(parent, "fresh");
    const config = readStackConfig(parent, { LAUREL_DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "secrets.json"))).toBe(0o600);
    expect(config.libsqlAuthToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(config.libsqlAuthToken).not.toBe(config.keyEncryptionSecret);
    expect(readStackConfig(parent, { LAUREL_DATA_DIR: dataDir }).libsqlAuthToken).toBe(config.libsqlAuthToken);
    expect(readStackConfig(parent, { LAUREL_DATA_DIR: dataDir, LIBSQL_AUTH_TOKEN: "from-env" }).libsqlAuthToken).toBe("from-env");
  });

  it("makes an existing, world-readable secrets file private again", () => {
    const dataDir = path.join(parent, "loose");
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, "secrets.json"), "{}", { mode: 0o644 });
    localSecret(dataDir, "libsqlAuthToken");
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "secrets.json"))).toBe(0o600);
  });

  it("writes wrangler's env file 0600 with literal values, and refuses a value it cannot quote", () => {
    const file = path.join(parent, "worker.env");
    fs.writeFileSync(file, "", { mode: 0o644 });
    writeSecretsEnvFile(file, { LIBSQL_AUTH_TOKEN: "abc-_#x", ADMIN_TOKEN: "a b" });
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toBe("LIBSQL_AUTH_TOKEN='abc-_#x'\nADMIN_TOKEN='a b'\n");
    expect(() => writeSecretsEnvFile(file, { ADMIN_TOKEN: "it's" })).toThrow(/ADMIN_TOKEN/);
    for (const bad of ["a\nb", "a$HOME", 'a"b', "a\\b"]) expect(() => writeSecretsEnvFile(file, { ADMIN_TOKEN: bad })).toThrow(/ADMIN_TOKEN/);
  });
});
