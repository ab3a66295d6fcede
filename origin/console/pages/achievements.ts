// Achievements: list (with a name search), create and edit, with a live badge preview drawn by the
// same renderer as the credentials' badges (services/render). Through the same service and body
// schema as POST /v1/achievements. Reading: every role; creating and editing: owner, admin, issuer.
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { database } from "../../db/client.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import {
  createAchievement,
  findAchievement,
  hasCredentials,
  listAchievements,
  searchAchievements,
  updateAchievement,
  type AchievementRow,
} from "../../services/achievements/achievements.ts";
import { isUniqueViolation } from "../../services/orgs/create-org.ts";
import { renderBadgeBase } from "../../services/render/index.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { field, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";
import { may } from "../roles.ts";
import { achievementForm, checkValues, PREVIEW_NAME_MAX, valuesOfForm, valuesOfRow, type AchievementValues } from "./achievement-form.ts";

/** The list shows the newest this many (an org with more finds the rest by name). */
const LIST_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const EMPTY: AchievementValues = { name: "", description: "", criteria: "", imageUrl: "", tags: "", notifyRecipients: true };

async function notFound(c: Context<ConsoleHono>) {
  return c.html(await page({ title: "Not found", session: c.var.session, body: html`<p class="alert" role="alert">No achievement of your org has this id.</p><p><a href="/console/achievements">Back to achievements</a></p>` }), 404);
}

async function formPage(
  c: Context<ConsoleHono>,
  o: { row?: AchievementRow; seed: string; values: AchievementValues; errors?: Record<string, string>; nameFixed?: boolean; message?: string; status?: 200 | 400 | 409 },
) {
  const s = c.var.session;
  const editing = Boolean(o.row);
  const body = html`${notice(o.message)}
    <p><a href="/console/achievements">Back to achievements</a></p>
    ${achievementForm({
      action: editing ? `/console/achievements/${o.row!.id}` : "/console/achievements/new",
      csrfToken: s.csrfToken,
      seed: o.seed,
      values: o.values,
      errors: o.errors ?? {},
      nameFixed: o.nameFixed ?? false,
      submitLabel: editing ? "Save changes" : "Create achievement",
    })}
    <script src="/console/assets/achievement-preview.js" defer></script>`;
  const title = editing ? `Edit: ${o.row!.name}` : "New achievement";
  return c.html(await page({ title, session: s, current: "/console/achievements", body }), o.status ?? 200);
}

export function registerAchievementPages(app: Hono<ConsoleHono>): void {
  app.get("/achievements", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const q = (c.req.query("q") ?? "").slice(0, PREVIEW_NAME_MAX).trim();
    const db = database(c.env);
    const shown = q ? await searchAchievements(db, s.org.id, q, LIST_MAX) : await listAchievements(db, s.org.id, null, LIST_MAX);
    const canEdit = may(s.member.role, "issue");
    const body = html`${notice(c.req.query("done") === "saved" ? "The achievement is saved." : undefined)}
      ${canEdit ? html`<p><a class="button" href="/console/achievements/new">New achievement</a></p>` : ""}
      <form class="filters card" method="get" action="/console/achievements" role="search" aria-label="Find achievements">
        ${field({ name: "q", label: "Name contains", type: "search", value: q, maxlength: PREVIEW_NAME_MAX })}
        <div><button type="submit">Search</button></div>
      </form>
      ${shown.length === 0
        ? html`<p role="status">${q ? "No achievement matches." : "Your org has no achievement yet."}</p>`
        : html`<div class="table-wrap"><table>
            <caption class="hint">Newest first${shown.length === LIST_MAX ? ` (the newest ${LIST_MAX})` : ""}</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Tags</th><th scope="col">Emails recipients</th><th scope="col">Created</th></tr></thead>
            <tbody>${shown.map(
              (a) => html`<tr><td>${canEdit ? html`<a href="/console/achievements/${a.id}">${a.name}</a>` : a.name}</td><td>${a.tags.join(", ")}</td>
                <td>${a.notifyRecipients ? "yes" : "no"}</td><td>${a.createdAt.toISOString().slice(0, 10)}</td></tr>`,
            )}</tbody></table></div>`}`;
    return c.html(await page({ title: "Achievements", session: s, current: "/console/achievements", body }));
  });

  // The badge as the renderer draws it for an unsaved name: the same design and palette (picked by
  // the achievement's id, or the id a new one will get) as the published badge image.
  app.get("/achievements/preview.png", signedIn(), requirePermission("issue"), async (c) => {
    const seed = (c.req.query("seed") ?? "").slice(0, 36);
    const name = (c.req.query("name") ?? "").slice(0, PREVIEW_NAME_MAX).trim() || "Your achievement";
    if (!UUID.test(seed)) return c.text("seed must be an achievement id (a UUID)", 400);
    const png = await renderBadgeBase({ achievementId: seed, achievementName: name, issuerName: c.var.session.org.name });
    return c.body(png, 200, { "content-type": "image/png", "cache-control": "private, max-age=300" });
  });

  app.get("/achievements/new", signedIn(), requirePermission("issue"), (c) => formPage(c, { seed: crypto.randomUUID(), values: EMPTY }));

  app.post("/achievements/new", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.achievements.create";
    const values = valuesOfForm(c.var.form);
    const sentSeed = formText(c.var.form, "seed", 36);
    const seed = UUID.test(sentSeed) ? sentSeed : crypto.randomUUID();
    if (formText(c.var.form, "intent", 10) === "preview") return formPage(c, { seed, values });
    const checked = checkValues(values);
    if (!checked.ok) return formPage(c, { seed, values, errors: checked.errors, status: 400 });
    const db = database(c.env);
    let row: AchievementRow;
    try {
      row = await createAchievement(db, s.org.id, { ...checked.input, id: seed });
    } catch (error) {
      if (!isUniqueViolation(error, "achievements.id")) throw error;
      // The form was submitted twice: the first submission made it. Any other owner of the id
      // (another org's) is not revealed; the form gets a fresh id.
      if (await findAchievement(db, s.org.id, seed)) return c.redirect(`/console/achievements/${seed}?done=saved`, 303);
      return formPage(c, { seed: crypto.randomUUID(), values, status: 409, message: "This form was already used; check the values and submit again." });
    }
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "achievement.create", target: row.id, detail: { name: row.name } });
    return c.redirect(`/console/achievements/${row.id}?done=saved`, 303);
  });

  app.get("/achievements/:id", signedIn(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const db = database(c.env);
    const row = await findAchievement(db, s.org.id, c.req.param("id").slice(0, 64));
    if (!row) return notFound(c);
    const message = c.req.query("done") === "saved" ? "The achievement is saved. Changes apply to credentials issued from now on." : undefined;
    return formPage(c, { row, seed: row.id, values: valuesOfRow(row), nameFixed: await hasCredentials(db, s.org.id, row.id), message });
  });

  app.post("/achievements/:id", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    c.var.rc.operation = "console.achievements.update";
    const db = database(c.env);
    const row = await findAchievement(db, s.org.id, c.req.param("id").slice(0, 64));
    if (!row) return notFound(c);
    const nameFixed = await hasCredentials(db, s.org.id, row.id);
    const values = valuesOfForm(c.var.form);
    if (nameFixed) values.name = row.name;
    if (formText(c.var.form, "intent", 10) === "preview") return formPage(c, { row, seed: row.id, values, nameFixed });
    const checked = checkValues(values);
    if (!checked.ok) return formPage(c, { row, seed: row.id, values, errors: checked.errors, nameFixed, status: 400 });
    const updated = await updateAchievement(db, s.org.id, row.id, checked.input);
    if (!updated) return notFound(c);
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "achievement.update", target: row.id, detail: { name: updated.name } });
    if (updated.name !== checked.input.name) {
      return formPage(c, { row: updated, seed: row.id, values: valuesOfRow(updated), nameFixed: true, status: 409, message: "Saved, except the name: a credential of this achievement was issued meanwhile, so its name is fixed." });
    }
    return c.redirect(`/console/achievements/${row.id}?done=saved`, 303);
  });
}
