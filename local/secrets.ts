// Secrets of the local stack: made once per data folder and kept there, so a restart can still
// decrypt what the last run stored. Production sets them with `wrangler secret put`.
// The data folder is private to its owner (0700), the files holding secrets are 0600, and secrets
// reach child processes through their environment or such a file, never their command line
// (`/proc/<pid>/cmdline` is readable by every local user).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Creates `dataDir` (mode 0700) if missing, and makes an existing one private to its owner. */
export function ensurePrivateDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}

/** Writes `text` to `file`, readable and writable by the owner only, whatever the file was before. */
export function writePrivateFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // the mode above applies only when the file is created
}

/** The named secret from `<dataDir>/secrets.json`, created (256 random bits) on first use. */
export function localSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, "secrets.json");
  const secrets: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  if (!secrets[name]) {
    secrets[name] = crypto.randomBytes(32).toString("base64url");
    ensurePrivateDir(dataDir);
    writePrivateFile(file, JSON.stringify(secrets, null, 2));
  }
  return secrets[name];
}

/**
 * Writes `values` as a dotenv file (0600) for `wrangler dev --env-file`, which gives them to the
 * Worker as secret bindings. Values are single-quoted; wrangler also expands `$NAME` in them, so a
 * value with `$`, `\`, a quote or a line break is refused by name rather than mangled.
 */
export function writeSecretsEnvFile(file: string, values: Record<string, string>): void {
  const lines = Object.entries(values).map(([name, value]) => {
    if (/['"$\\\r\n]/.test(value)) throw new Error(`${name} must not contain quotes, $, \\ or line breaks`);
    return `${name}='${value}'`;
  });
  writePrivateFile(file, lines.join("\n") + "\n");
}
