import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Four projects, one per runtime:
// - node:   shared/ core, the local stack (libSQL server), scripts; plain Node.
// - edge:   the edge Worker inside workerd (its wrangler.toml).
// - origin: the origin Worker inside workerd, against a real libSQL server started in globalSetup.
// - e2e:    the whole local stack (`npm start`'s launcher) driven over HTTP, plus browser tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["shared/**/*.test.ts", "local/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.workers.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: {
          name: "edge",
          include: ["edge/**/*.test.ts", "shared/**/*.workers.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./origin/wrangler.toml" },
            miniflare: {
              bindings: {
                LIBSQL_URL: `http://127.0.0.1:${process.env.LAUREL_TEST_LIBSQL_PORT ?? "18080"}`,
                ADMIN_TOKEN: "test-admin-token",
                KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-not-for-production",
                PUBLIC_BASE_URL: "https://verify.example.test",
              },
            },
          }),
        ],
        test: {
          name: "origin",
          include: ["origin/**/*.test.ts"],
          globalSetup: ["./origin/test/global-setup.ts"],
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
