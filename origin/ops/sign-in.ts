// /ops/sign-in: a form taking the admin token, so an operator's browser can open /ops (operators
// with a console account sign in to the console instead: console-operator.ts). CSRF: the
// console's double-submit token (a random cookie the form repeats). A wrong token answers 403 with
// the form again; the token itself is never logged or echoed.
import type { Hono } from "hono";
import { html } from "hono/html";
import { secretsEqual } from "../auth/tokens.ts";
import { preSessionCsrf, readPreSessionCsrf } from "../console/cookies.ts";
import type { OriginHono } from "../env.ts";
import { writeOpsCookie } from "./ops-cookie.ts";
import { opsPage } from "./ops-html.ts";

const MAX_FORM_BYTES = 8 * 1024;

function form(token: string, error?: string) {
  return opsPage(
    "Operator sign-in",
    html`${error ? html`<p class="alert" role="alert">${error}</p>` : ""}
      <form method="post" action="/ops/sign-in">
        <input type="hidden" name="_csrf" value="${token}" />
        <p><label for="admin-token">Admin token</label><br /><input id="admin-token" name="token" type="password" autocomplete="current-password" required /></p>
        <p><button type="submit">Sign in</button></p>
      </form>
      <p>Operators with a console account: <a href="/console/sign-in?next=%2Fops">sign in to the console</a> instead.</p>`,
  );
}

export function registerOpsSignIn(app: Hono<OriginHono>): void {
  app.get("/ops/sign-in", async (c) => c.html(await form(preSessionCsrf(c))));
  app.post("/ops/sign-in", async (c) => {
    c.var.rc.operation = "ops.sign-in";
    if (Number(c.req.header("content-length") ?? 0) > MAX_FORM_BYTES) return c.text("Form too large", 413);
    const body = await c.req.parseBody();
    const csrf = readPreSessionCsrf(c);
    if (!csrf || typeof body._csrf !== "string" || !(await secretsEqual(body._csrf, csrf))) {
      return c.html(await form(preSessionCsrf(c), "The form expired. Please sign in again."), 403);
    }
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) return c.html(await form(csrf, "Operator sign-in is disabled: ADMIN_TOKEN is not configured."), 503);
    if (typeof body.token !== "string" || !(await secretsEqual(body.token, expected))) {
      return c.html(await form(csrf, "That admin token is not valid."), 403);
    }
    await writeOpsCookie(c);
    return c.redirect("/ops", 303);
  });
}
