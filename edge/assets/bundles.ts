// The bundles built by ./build.mjs, as strings the Worker serves.
import offlineVerifierMjs from "./dist/laurel-verify.mjs.txt";
import pageJs from "./dist/page.js.txt";
import swJs from "./dist/sw.js.txt";
import verifyJs from "./dist/verify.js.txt";

/** Scripts served under /assets/<name>. */
export const SCRIPTS: Record<string, string> = { "verify.js": verifyJs, "page.js": pageJs };

/** The verifier's service worker, served at /verify-sw.js (scope /verify). */
export const SERVICE_WORKER = swJs;

/** The offline verifier for Node >= 20 as one ES module (shared/cli), served at /laurel-verify.mjs. */
export const OFFLINE_VERIFIER = offlineVerifierMjs;
