// The issuer console, served by the origin under /console: server-rendered pages over the same
// services and database as the API, for org members signed in with a session (docs/console.md).
import { Hono } from "hono";
import { html } from "hono/html";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import type { OriginHono } from "../env.ts";
import { registerConsoleAssets } from "./assets/assets.ts";
import type { ConsoleHono } from "./context.ts";
import { page } from "./html.ts";
import { registerApiKeyPages } from "./pages/api-keys.ts";
import { registerAchievementPages } from "./pages/achievements.ts";
import { registerKeyPages } from "./pages/keys.ts";
import { registerAuthPages } from "./pages/auth.ts";
import { registerBatchPages } from "./pages/batch.ts";
import { registerCredentialPages } from "./pages/credentials.ts";
import { registerIntegrationPages } from "./pages/integrations.ts";
import { registerIssuePages } from "./pages/issue.ts";
import { registerMemberPages } from "./pages/members.ts";
import { registerOverviewPage } from "./pages/overview.ts";
import { registerPasskeyPages } from "./pages/passkeys.ts";
import { registerProfilePages } from "./pages/profile.ts";
import { registerWebhookPages } from "./pages/webhooks.ts";
import { consoleSecurityHeaders } from "./security-headers.ts";

function createConsole(): Hono<ConsoleHono> {
  const app = new Hono<ConsoleHono>();
  app.use(consoleSecurityHeaders());
  registerConsoleAssets(app);
  registerAuthPages(app);
  registerOverviewPage(app);
  registerCredentialPages(app);
  registerIssuePages(app);
  registerBatchPages(app);
  registerMemberPages(app);
  registerApiKeyPages(app);
  registerWebhookPages(app);
  registerIntegrationPages(app);
  registerPasskeyPages(app);
  registerAchievementPages(app);
  registerKeyPages(app);
  registerProfilePages(app);
  app.notFound(async (c) => c.html(await page({ title: "Not found", body: html`<p><a href="/console">Back to the console</a></p>` }), 404));
  // A client error a service raised (e.g. 409 MEMBER_EXISTS) as a page; anything else goes on to
  // the origin's one error mapping (logged, generic 5xx, 503 DATABASE_UNAVAILABLE).
  app.onError(async (error, c) => {
    if (error instanceof AppError && error.status < 500) {
      const status = error.status as 400 | 403 | 404 | 409 | 413 | 422;
      return c.html(await page({ title: "Could not do that", body: html`<p class="alert" role="alert">${error.message}</p><p><a href="/console">Back to the console</a></p>` }), status);
    }
    throw error;
  });
  return app;
}

/** Mounts the console at /console. */
export function registerConsole(app: OpenAPIHono<OriginHono>): void {
  app.route("/console", createConsole() as unknown as Hono<OriginHono>);
}
