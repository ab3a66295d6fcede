import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { execFileSync } from "node:child_process";
import { buildSync } from "esbuild";
import { defineConfig } from "vitest/config";
import { jsonldWithoutNetworkVite } from "./shared/data-integrity/jsonld-platform.mjs";

// The origin binds the edge's StatusListAuthority Durable Object (script_name "laurel-edge"); its
// tests get the real class, bundled here, as an auxiliary Worker of that name.
function edgeObjectsWorker() {
  const contents =
    'export { StatusListAuthority } from "./edge/objects/status-list-authority.do.ts";\n' +
    'export { MetricsAggregator } from "./edge/objects/metrics-aggregator.do.ts";\n' +
    "export default { fetch: () => new Response(null, { status: 404 }) };";
  const out = buildSync({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "ts", sourcefile: "edge-objects.ts" },
    bundle: true,
    format: "esm",
    write: false,
    external: ["cloudflare:*"],
  });
  return {
    name: "laurel-edge",
    modules: [{ type: "ESModule" as const, path: "edge-objects.mjs", contents: out.outputFiles[0]!.text }],
    compatibilityDate: "2026-11-01",
    durableObjects: {
      STATUS_LISTS: { className: "StatusListAuthority", useSQLite: true },
      METRICS: { className: "MetricsAggregator", useSQLite: true },
    },
  };
}

// The origin tests' libSQL server listens on LAUREL_TEST_LIBSQL_PORT, or else on a port the OS
// finds free now (no fixed port: two runs on one machine must not collide). The config is read in
// the main process, which also runs origin/test/global-setup.ts, so setting it here reaches both.
function testLibsqlPort(): string {
  if (!process.env.LAUREL_TEST_LIBSQL_PORT) {
    const probe = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
    process.env.LAUREL_TEST_LIBSQL_PORT = execFileSync(process.execPath, ["-e", probe], { encoding: "utf8" }).trim();
  }
  return process.env.LAUREL_TEST_LIBSQL_PORT;
}

// Four projects, one per runtime:
// - node:   shared/ core, the local stack (libSQL server), scripts; plain Node.
// - edge:   the edge Worker inside workerd (its wrangler.toml).
// - origin: the origin Worker inside workerd, against a real libSQL server started in globalSetup.
// - e2e:    the whole local stack (`npm start`'s launcher) driven over HTTP, plus browser tests.
export default defineConfig({
  // jsonld without its network loader in workerd (shared/data-integrity/jsonld-platform.mjs).
  plugins: [jsonldWithoutNetworkVite()],
  test: {
    // Log output only for failing tests: the Workers' request logs would bury the summary.
    silent: "passed-only",
    // The origin's test files share a workerd isolate (isolate: false below), and workerd refuses a
    // continuation that crosses from one test context into another with this one message. Twice in
    // CI it surfaced as an unhandled rejection while rendering a card (publication.test.ts,
    // certificates.test.ts) with every assertion passing; each file already waits for its own
    // contexts (origin/test/execution-context.ts). Only this exact refusal is ignored; any other
    // unhandled error still fails the run. (The shared init promise of origin/services/render/
    // engine.ts is the suspect to look at next.)
    onUnhandledError: (error) => !String(error?.message ?? "").startsWith("Cannot perform I/O on behalf of a different Durable Object."),
    // Two files at a time (vitest's default is one fewer than the cores: one on a 2-core machine,
    // where the suite then ran every file in turn). The e2e files still run one at a time
    // (fileParallelism below), each beside the other projects' files.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "node",
          // Some files start processes or inflate hostile inputs: a deadline guard for a loaded
          // 2-core machine, not a speed check.
          testTimeout: 30_000,
          include: ["shared/**/*.test.ts", "local/**/*.test.ts", "scripts/**/*.test.ts", "origin/**/*.node.test.ts"],
          exclude: ["**/*.workers.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { PUBLIC_BASE_URL: "https://verify.example.test", VERIFY_RATE_LIMIT: "5/60" },
              // The ORIGIN service binding (service "laurel-origin", entrypoint EdgeApi) reaches a stub
              // that answers from seeded projections and records its calls (edge/test/origin-stub.mjs).
              workers: [
                {
                  name: "laurel-origin",
                  modules: true,
                  scriptPath: "./edge/test/origin-stub.mjs",
                  compatibilityDate: "2026-11-01",
                },
              ],
            },
          }),
        ],
        test: {
          name: "edge",
          // As for the origin: one isolate per worker, so tests must not depend on fresh module state.
          isolate: false,
          include: ["edge/**/*.test.ts", "shared/**/*.workers.test.ts"],
          // Bundles the browser assets the Worker imports as Text modules (edge/assets/dist, generated).
          globalSetup: ["./edge/assets/build.mjs"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./origin/wrangler.toml" },
            miniflare: {
              bindings: {
                LIBSQL_URL: `http://127.0.0.1:${testLibsqlPort()}`,
                // The same token origin/test/global-setup.ts gives the test run's libSQL server.
                LIBSQL_AUTH_TOKEN: "test-libsql-token",
                ADMIN_TOKEN: "test-admin-token",
                KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-not-for-production",
                PUBLIC_BASE_URL: "https://verify.example.test",
                ORIGIN_BASE_URL: "https://origin.test",
              },
              workers: [edgeObjectsWorker()],
            },
          }),
        ],
        test: {
          name: "origin",
          // One isolate per worker for all its files: a fresh isolate cost ~5 s of module loading per
          // file (63 files). Tests therefore must not depend on module state being new.
          isolate: false,
          // Against a real libSQL server on a 2-core machine running e2e stacks beside it, a batch
          // test can take several seconds; a deadline guard, not a speed check (that is npm run bench).
          testTimeout: 30_000,
          include: ["origin/**/*.test.ts"],
          exclude: ["origin/**/*.node.test.ts", "**/node_modules/**"],
          globalSetup: ["./origin/test/global-setup.ts", "./local/fake-lms/global-setup.ts"],
          // Each file waits for its requests' background work before the next file runs in its isolate.
          setupFiles: ["./origin/test/settle-contexts.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
