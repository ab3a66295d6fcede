// Issue many: upload (or paste) a CSV, see every row checked by the batch API's own intake rules,
// then submit it as a batch through the same service as POST /v1/credentials/batch, and follow it
// on a progress page (a <progress> that a small script updates; without JavaScript the page
// refreshes itself) with the failed rows downloadable as CSV.
import type { Context, Hono } from "hono";
import { html, raw } from "hono/html";
import { AppError } from "../../../shared/http/problem.ts";
import { isUuid } from "../../../shared/ids.ts";
import { database } from "../../db/client.ts";
import { batchRows } from "../../db/schema/index.ts";
import { and, asc, eq } from "drizzle-orm";
import { findAchievement, listAchievements } from "../../services/achievements/achievements.ts";
import { recordAudit } from "../../services/audit/audit-log.ts";
import { checkRows, MAX_BATCH_BODY_BYTES, MAX_BATCH_RECIPIENTS, recipientsFromCsv, type BatchRowInput } from "../../services/batches/intake.ts";
import { batchStatus } from "../../services/batches/store.ts";
import { submitBatch, type AcceptedBatch } from "../../services/batches/submit.ts";
import { claimIdempotencyKey, releaseIdempotencyKey } from "../../services/idempotency/store.ts";
import { sha256Hex } from "../../auth/tokens.ts";
import { formText, type ConsoleHono } from "../context.ts";
import { csrfField, notice, page } from "../html.ts";
import { csrf, requirePermission, signedIn } from "../middleware.ts";

const PREVIEW_ROWS = 500;

async function uploadPage(c: Context<ConsoleHono>, o: { achievementId?: string; csvError?: string; status?: 200 | 400 } = {}) {
  const s = c.var.session;
  const achievements = await listAchievements(database(c.env), s.org.id, null, 100);
  const body = html`<p>A CSV with a header line <code>name,email</code> (and optionally <code>validUntil</code>), one recipient per line, up to ${MAX_BATCH_RECIPIENTS.toLocaleString("en")} rows. You will see every row checked before anything is issued.</p>
    <form class="stack card" method="post" action="/console/issue/batch/preview" enctype="multipart/form-data" novalidate>
      ${csrfField(s.csrfToken)}
      <div><label for="f-achievementId">Achievement</label>
        <select id="f-achievementId" name="achievementId">
          ${achievements.map((a) => html`<option value="${a.id}" ${a.id === o.achievementId ? html`selected` : ""}>${a.name}</option>`)}
        </select></div>
      <div><label for="f-file">CSV file</label><input id="f-file" name="file" type="file" accept=".csv,text/csv" ${o.csvError ? html`aria-invalid="true" aria-describedby="f-csv-error"` : ""} /></div>
      <div><label for="f-csv">…or paste the CSV</label><textarea id="f-csv" name="csv" rows="6" ${o.csvError ? html`aria-invalid="true" aria-describedby="f-csv-error"` : ""}></textarea>
        ${o.csvError ? html`<p class="error" id="f-csv-error">${o.csvError}</p>` : ""}</div>
      <div><button type="submit">Check the rows</button></div>
    </form>`;
  return c.html(await page({ title: "Issue many (CSV)", session: s, current: "/console/issue", body }), o.status ?? 200);
}

/** The CSV of the form: the uploaded file if any, else the pasted text. */
async function csvOf(c: Context<ConsoleHono>): Promise<string> {
  const file = c.var.form.file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_BATCH_BODY_BYTES) throw new AppError(413, "PAYLOAD_TOO_LARGE", "The CSV is larger than 5 MB.");
    return file.text();
  }
  return formText(c.var.form, "csv", MAX_BATCH_BODY_BYTES);
}

function parse(csv: string): { rows: BatchRowInput[] } | { error: string } {
  if (!csv.trim()) return { error: "Choose a CSV file or paste the CSV." };
  try {
    const raw = recipientsFromCsv(csv);
    if (raw.length === 0) return { error: "The CSV has no rows after its header." };
    if (raw.length > MAX_BATCH_RECIPIENTS) return { error: `The CSV has ${raw.length} rows; at most ${MAX_BATCH_RECIPIENTS} per batch.` };
    return { rows: checkRows(raw, new Date()) };
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return { error: error.message };
    throw error;
  }
}

export function registerBatchPages(app: Hono<ConsoleHono>): void {
  app.get("/issue/batch", signedIn(), requirePermission("issue"), (c) => uploadPage(c));

  app.post("/issue/batch/preview", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const achievementId = formText(c.var.form, "achievementId", 64);
    const csv = await csvOf(c);
    const parsed = parse(csv);
    if ("error" in parsed) return uploadPage(c, { achievementId, csvError: parsed.error, status: 400 });
    const achievement = isUuid(achievementId) ? await findAchievement(database(c.env), s.org.id, achievementId) : null;
    if (!achievement) return uploadPage(c, { csvError: "Choose one of your org's achievements.", status: 400 });
    const bad = parsed.rows.filter((r) => r.state === "failed");
    const good = parsed.rows.length - bad.length;
    const shown = parsed.rows.slice(0, PREVIEW_ROWS);
    const body = html`<p role="status"><strong>${good}</strong> of ${parsed.rows.length} rows are ready for <strong>${achievement.name}</strong>${bad.length ? html`; <strong>${bad.length}</strong> have a problem and will not be issued (fix them and upload them again later)` : ""}.</p>
      <form class="stack card" method="post" action="/console/issue/batch" novalidate>
        ${csrfField(s.csrfToken)}
        <input type="hidden" name="achievementId" value="${achievement.id}" />
        <input type="hidden" name="formKey" value="${crypto.randomUUID()}" />
        <input type="hidden" name="csv" value="${csv}" />
        <div><button type="submit" ${good === 0 ? html`disabled` : ""}>Issue ${good} credential${good === 1 ? "" : "s"}</button> <a href="/console/issue/batch">Start over</a></div>
      </form>
      <div class="table-wrap"><table>
        <caption class="hint">${parsed.rows.length > PREVIEW_ROWS ? `The first ${PREVIEW_ROWS} rows` : "Every row"}</caption>
        <thead><tr><th scope="col">Row</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Check</th></tr></thead>
        <tbody>${shown.map(
          (r) => html`<tr><td>${r.row}</td><td>${r.name ?? ""}</td><td>${r.email ?? ""}</td>
            <td>${r.state === "failed" ? html`<span class="status-revoked">${r.errorCode}: ${r.errorDetail}</span>` : html`<span class="status-active">OK</span>`}</td></tr>`,
        )}</tbody></table></div>`;
    return c.html(await page({ title: "Check the rows", session: s, current: "/console/issue", body }));
  });

  app.post("/issue/batch", signedIn(), csrf(), requirePermission("issue"), async (c) => {
    const s = c.var.session;
    const rc = c.var.rc;
    rc.operation = "console.credentials.batch";
    const achievementId = formText(c.var.form, "achievementId", 64);
    const formKey = formText(c.var.form, "formKey", 64);
    const csv = formText(c.var.form, "csv", MAX_BATCH_BODY_BYTES);
    const parsed = parse(csv);
    const db = database(c.env);
    const achievement = isUuid(achievementId) ? await findAchievement(db, s.org.id, achievementId) : null;
    if ("error" in parsed || !achievement || !/^[\w-]{8,64}$/.test(formKey)) {
      return uploadPage(c, { csvError: "error" in parsed ? parsed.error : "The form was incomplete; upload the CSV again.", status: 400 });
    }
    // The form's key makes a double submit one batch: the second finds the first's answer.
    const key = `console:${formKey}`;
    const claim = await claimIdempotencyKey(db, s.org.id, key, await sha256Hex(`${achievement.id}\n${csv}`));
    if (claim.kind === "completed") return c.redirect(`/console/batches/${(JSON.parse(claim.body) as { id: string }).id}`, 303);
    if (claim.kind !== "claimed") return uploadPage(c, { csvError: "This form was already submitted; find the batch under Credentials, or upload again.", status: 400 });
    let batchId: string;
    try {
      // The form key's answer commits with the batch (services/batches/submit.ts).
      const idempotency = { claim: { orgId: s.org.id, key, createdAt: claim.createdAt }, answer: (a: AcceptedBatch) => ({ status: 202, body: JSON.stringify({ id: a.id }) }) };
      ({ accepted: { id: batchId } } = await submitBatch(c.env, { orgId: s.org.id, achievementId: achievement.id, rows: parsed.rows, requestId: rc.requestId, log: rc.log }, idempotency));
    } catch (error) {
      await releaseIdempotencyKey(db, s.org.id, key, claim.createdAt).catch(() => undefined);
      throw error;
    }
    await recordAudit(db, { orgId: s.org.id, memberId: s.member.id, actor: s.member.email, action: "batch.create", target: batchId, detail: { rows: String(parsed.rows.length) } });
    return c.redirect(`/console/batches/${batchId}`, 303);
  });

  app.get("/batches/:id{[0-9a-fA-F-]{36}\\.json}", signedIn(), requirePermission("read"), async (c) => {
    const id = c.req.param("id").slice(0, 36).toLowerCase();
    const b = await batchStatus(database(c.env), c.var.session.org.id, id);
    if (!b) return c.json({ error: "not found" }, 404);
    return c.json({ id: b.id, status: b.status, total: b.total, issued: b.issued, failed: b.failed });
  });

  app.get("/batches/:id", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const id = c.req.param("id").toLowerCase();
    const b = isUuid(id) ? await batchStatus(database(c.env), s.org.id, id) : null;
    if (!b) return c.html(await page({ title: "Not found", session: s, body: html`<p class="alert" role="alert">No batch of your org has this id.</p>` }), 404);
    const done = b.status === "completed" || b.status === "completed_with_errors";
    const body = html`${done ? "" : raw('<noscript><meta http-equiv="refresh" content="2" /></noscript>')}
      <section class="card" data-batch-progress="/console/batches/${b.id}.json">
        <label for="batch-progress">Progress</label>
        <progress id="batch-progress" max="${b.total}" value="${b.issued + b.failed}">${b.issued + b.failed} of ${b.total}</progress>
        <p role="status">Status: <span data-status>${b.status}</span>. Issued <span data-issued>${b.issued}</span>, failed <span data-failed>${b.failed}</span>, of ${b.total}.</p>
        ${done ? "" : html`<p><a href="/console/batches/${b.id}">Reload</a></p>`}
        ${done && b.failed > 0 ? html`<p><a href="/console/batches/${b.id}/failed.csv">Download the ${b.failed} failed rows with reasons (CSV)</a></p>` : ""}
        ${done ? html`<p><a href="/console/credentials">See the credentials</a></p>` : ""}
      </section>
      ${done ? "" : html`<script src="/console/assets/progress.js" defer></script>`}`;
    return c.html(await page({ title: "Batch progress", session: s, current: "/console/issue", body }));
  });

  app.get("/batches/:id/failed.csv", signedIn(), requirePermission("read"), async (c) => {
    const s = c.var.session;
    const id = c.req.param("id").toLowerCase();
    const db = database(c.env);
    const b = isUuid(id) ? await batchStatus(db, s.org.id, id) : null;
    if (!b) return c.text("No batch of your org has this id.", 404);
    const rows = await db
      .select({ row: batchRows.row, name: batchRows.name, email: batchRows.email, code: batchRows.errorCode, detail: batchRows.errorDetail })
      .from(batchRows)
      .where(and(eq(batchRows.batchId, id), eq(batchRows.state, "failed")))
      .orderBy(asc(batchRows.row));
    const cell = (v: unknown) => {
      const t = String(v ?? "");
      // Quoted per RFC 4180; a leading =, +, - or @ is prefixed so a spreadsheet does not run it as a formula.
      const safe = /^[=+\-@]/.test(t) ? `'${t}` : t;
      return `"${safe.replace(/"/g, '""')}"`;
    };
    const csv = ["row,name,email,error,detail", ...rows.map((r) => [r.row, r.name, r.email, r.code, r.detail].map(cell).join(","))].join("\r\n") + "\r\n";
    return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="batch-${id}-failed.csv"` });
  });
}
