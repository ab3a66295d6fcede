// Test helpers for the console: a browser-like client over the origin app (a cookie jar, the last
// page's CSRF token sent with every form) and orgs created with an owner who has set a password.
import type { OriginEnv } from "../env.ts";
import { call, makeOrg, ADMIN, uniqueSlug, type TestOrg } from "./api.ts";

export const OWNER_PASSWORD = "owner password 1234";

/** Cookies and the CSRF token of the last page, like one browser tab. */
export class ConsoleClient {
  cookies = new Map<string, string>();
  csrf = "";
  lastBody = "";
  /** Bindings and settings this client's requests run with on top of the test Worker's (e.g. a capturing queue, a mail transport). */
  env: Partial<OriginEnv> = {};

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq), value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  async get(path: string): Promise<Response> {
    const res = await call(path, { headers: this.headers(), redirect: "manual" }, this.env);
    this.remember(res);
    if ((res.headers.get("content-type") ?? "").includes("text/html")) {
      this.lastBody = await res.clone().text();
      const token = this.lastBody.match(/name="_csrf" value="([^"]+)"/)?.[1];
      if (token) this.csrf = token;
    }
    return res;
  }

  /** Posts a form; `_csrf` is the last page's token unless `fields` sets it (null: leave it out). */
  async post(path: string, fields: Record<string, string | null> = {}): Promise<Response> {
    const body = new URLSearchParams();
    if (!("_csrf" in fields)) body.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) if (v !== null) body.set(k, v);
    const res = await call(path, {
      method: "POST",
      headers: { ...this.headers(), "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      redirect: "manual",
    }, this.env);
    this.remember(res);
    if ((res.headers.get("content-type") ?? "").includes("text/html")) this.lastBody = await res.clone().text();
    return res;
  }

  /** Posts a multipart form (a file upload), `_csrf` as `post` does. */
  async postMultipart(path: string, fields: Record<string, string | File | null> = {}): Promise<Response> {
    const body = new FormData();
    if (!("_csrf" in fields)) body.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) if (v !== null) body.set(k, v);
    const res = await call(path, { method: "POST", headers: this.headers(), body, redirect: "manual" }, this.env);
    this.remember(res);
    if ((res.headers.get("content-type") ?? "").includes("text/html")) this.lastBody = await res.clone().text();
    return res;
  }

  /** Uses a one-time setup link: opens it and sets the password (signed in afterwards). */
  async setUp(setupUrl: string, password = OWNER_PASSWORD): Promise<Response> {
    const url = new URL(setupUrl);
    const page = await this.get(url.pathname + url.search);
    if (page.status !== 200) throw new Error(`setup page answered ${page.status}`);
    return this.post("/console/setup", { token: url.searchParams.get("token")!, password, confirm: password });
  }

  async signIn(email: string, password: string): Promise<Response> {
    await this.get("/console/sign-in");
    return this.post("/console/sign-in", { email, password });
  }
}

export interface OrgWithOwner extends TestOrg {
  ownerEmail: string;
  ownerSetupUrl: string;
}

/** An org created with `owner`, answering its setup link. */
export async function makeOrgWithOwner(prefix = "con"): Promise<OrgWithOwner> {
  const slug = uniqueSlug(prefix);
  const ownerEmail = `owner-${slug}@example.edu`;
  const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: `Test ${slug}`, slug, owner: { email: ownerEmail, name: "Olive Owner" } } });
  if (res.status !== 201) throw new Error(`org creation failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as TestOrg & { ownerSetupUrl: string };
  return { ...body, ownerEmail, ownerSetupUrl: body.ownerSetupUrl };
}

/** A signed-in owner's client for a new org. */
export async function ownerClient(prefix = "con"): Promise<{ org: OrgWithOwner; owner: ConsoleClient }> {
  const org = await makeOrgWithOwner(prefix);
  const owner = new ConsoleClient();
  const res = await owner.setUp(org.ownerSetupUrl);
  if (res.status !== 303) throw new Error(`setup answered ${res.status}: ${owner.lastBody.slice(0, 500)}`);
  return { org, owner };
}

/** Invites a member with `role` as `inviter` and returns their signed-in client. */
export async function invitedClient(inviter: ConsoleClient, role: string, prefix = "m"): Promise<{ client: ConsoleClient; email: string }> {
  const email = `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.edu`;
  await inviter.get("/console/settings/members");
  const res = await inviter.post("/console/settings/members", { name: `Member ${role}`, email, role });
  const link = inviter.lastBody.match(/<code class="secret">([^<]+)<\/code>/)?.[1];
  if (res.status !== 200 || !link) throw new Error(`invitation failed: ${res.status}`);
  const client = new ConsoleClient();
  const done = await client.setUp(link.replace(/&amp;/g, "&"), "member password 1234");
  if (done.status !== 303) throw new Error(`member setup answered ${done.status}`);
  return { client, email };
}
export { makeOrg };
