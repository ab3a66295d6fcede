// The console's static assets: one stylesheet, addressed by a hash of its content so it can be
// cached for a year and still change with a deployment.
import type { Hono } from "hono";
import { sha256Hex } from "../../auth/tokens.ts";
import { PASSKEY_JS } from "./passkey-script.ts";
import { PROGRESS_JS } from "./progress-script.ts";
import { ACHIEVEMENT_PREVIEW_JS } from "./achievement-preview-script.ts";
import { CONSOLE_CSS } from "./style.ts";
// The @simplewebauthn/browser bundle, vendored (MIT, LICENSE beside it) and imported as a Text module.
import SIMPLEWEBAUTHN_BROWSER_JS from "./vendor/simplewebauthn-browser.umd.min.js.txt";

let cssVersion: Promise<string> | null = null;
/** The first 16 hex digits of the stylesheet's SHA-256 (the `v` of its URL and its ETag). */
export function consoleCssVersion(): Promise<string> {
  cssVersion ??= sha256Hex(CONSOLE_CSS).then((h) => h.slice(0, 16));
  return cssVersion;
}

export function registerConsoleAssets(app: Hono<any>): void {
  app.get("/assets/console.css", async (c) => {
    const etag = `"${await consoleCssVersion()}"`;
    const headers = { etag, "cache-control": "public, max-age=31536000, immutable", "content-type": "text/css; charset=utf-8" };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(CONSOLE_CSS, 200, headers);
  });
  app.get("/assets/progress.js", (c) =>
    c.body(PROGRESS_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }),
  );
  app.get("/assets/passkeys.js", (c) => c.body(PASSKEY_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }));
  app.get("/assets/simplewebauthn-browser.js", (c) =>
    c.body(SIMPLEWEBAUTHN_BROWSER_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }),
  );
  app.get("/assets/achievement-preview.js", (c) =>
    c.body(ACHIEVEMENT_PREVIEW_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }),
  );
}
