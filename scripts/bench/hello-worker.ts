// A hello-world Worker on the same runtime as the stack (wrangler's unstable_startWorker): the
// baseline every edge benchmark measures in the same run, so figures are ratios, not absolutes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Starts the hello-world Worker on a free loopback port. */
export async function startHello(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-hello-"));
  const entry = path.join(dir, "index.js");
  fs.writeFileSync(entry, 'export default { fetch: () => Response.json({ hello: "world" }) };\n');
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  process.env.XDG_CONFIG_HOME ??= path.join(dir, "xdg");
  const { unstable_startWorker } = await import("wrangler");
  const worker = await unstable_startWorker({
    name: "laurel-bench-hello",
    entrypoint: entry,
    compatibilityDate: "2026-11-01",
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "none" },
  });
  await worker.ready;
  const url = String(await worker.url).replace(/\/$/, "");
  return { url, stop: () => worker.dispose() };
}
