// Origin tests run inside workerd against a real libSQL engine: this starts the local Hrana
// server on a fresh, migrated database file for the test run (port from LAUREL_TEST_LIBSQL_PORT,
// chosen free by vitest.config.ts when unset, and the bearer token: the values vitest.config.ts
// gives the Worker as LIBSQL_URL and LIBSQL_AUTH_TOKEN), and a proxy in front of it that tests can make stop answering
// (`inject("stallingLibsqlUrl")`, see local/libsql-server/stalling-proxy.ts), and a scriptable
// webhook receiver (`inject("webhookReceiverUrl")`, see webhook-receiver.ts).
import type { TestProject } from "vitest/node";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLibsqlServer } from "../../local/libsql-server/server.ts";
import { startStallingProxy } from "../../local/libsql-server/stalling-proxy.ts";
import { startMailOutbox } from "../../local/mail-outbox/server.ts";
import { TEST_MAIL_OUTBOX_TOKEN } from "./mail-outbox-token.ts";
import { execFileSync } from "node:child_process";
import { startWebhookReceiver } from "./webhook-receiver.ts";

/** The token of the test run's libSQL server (vitest.config.ts passes the same to the Worker). */
export const TEST_LIBSQL_AUTH_TOKEN = "test-libsql-token";

declare module "vitest" {
  export interface ProvidedContext {
    stallingLibsqlUrl: string;
    /** The scriptable webhook receiver (origin/test/webhook-receiver.ts). */
    webhookReceiverUrl: string;
    /** A local mail outbox (local/mail-outbox) for notification tests; its token is TEST_MAIL_OUTBOX_TOKEN. */
    mailOutboxUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-origin-test-"));
  const file = path.join(dir, "test.db");
  // Migrated in a child Node process: inside this setup, vite resolves @libsql/client with the
  // Workers conditions (its web build, which cannot open files).
  execFileSync(process.execPath, [path.join(import.meta.dirname, "../../local/migrate.ts")], {
    env: { ...process.env, LIBSQL_URL: `file:${file}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const server = await startLibsqlServer({
    file,
    port: Number(process.env.LAUREL_TEST_LIBSQL_PORT),
    authToken: TEST_LIBSQL_AUTH_TOKEN,
  });
  const proxy = await startStallingProxy(server.url);
  project.provide("stallingLibsqlUrl", proxy.url);
  const receiver = await startWebhookReceiver();
  project.provide("webhookReceiverUrl", receiver.url);
  const mailOutbox = await startMailOutbox({ dir: path.join(dir, "mail"), port: 0, authToken: TEST_MAIL_OUTBOX_TOKEN });
  project.provide("mailOutboxUrl", mailOutbox.url);
  return async () => {
    await receiver.close();
    await mailOutbox.close();
    await proxy.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
