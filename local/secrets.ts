// Secrets of the local stack: made once per data folder and kept there, so a restart can still
// decrypt what the last run stored. Production sets them with `wrangler secret put`.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The named secret from `<dataDir>/secrets.json`, created (256 random bits) on first use. */
export function localSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, "secrets.json");
  const secrets: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  if (!secrets[name]) {
    secrets[name] = crypto.randomBytes(32).toString("base64url");
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name];
}
