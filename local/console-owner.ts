// The demo org's console owner for `npm start`: the password is made once per data folder (kept
// with the local secrets) and set through the owner's one-time setup link, the same form a person
// would use, so the launcher can print a working sign-in.
import { localSecret } from "./secrets.ts";

export const DEMO_OWNER = { email: "owner@demo.laurel.test", name: "Demo Owner" };

/** The demo owner's password: 20 characters from a secret made once for this data folder. */
export function demoOwnerPassword(dataDir: string): string {
  return localSecret(dataDir, "demoOwnerPassword").slice(0, 20);
}

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** Opens the setup link and submits its form (with its CSRF token and cookie); throws unless it signs in. */
export async function completeOwnerSetup(setupUrl: string, password: string): Promise<void> {
  const page = await fetch(setupUrl);
  const html = await page.text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`console owner setup page answered ${page.status}`);
  const token = new URL(setupUrl).searchParams.get("token") ?? "";
  const done = await fetch(new URL("/console/setup", setupUrl), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: cookiesOf(page), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, token, password, confirm: password }).toString(),
  });
  if (done.status !== 303) throw new Error(`console owner setup answered ${done.status}`);
}
