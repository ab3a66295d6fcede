// The achievement form of the console (create and edit): reading the posted values, checking them
// with the API's own body schema (CreateAchievementBody, so the console and POST /v1/achievements
// accept the same things), and drawing the form with its badge preview.
import { html } from "hono/html";
import { CreateAchievementBody } from "../../routes/achievements.ts";
import type { AchievementRow, NewAchievement } from "../../services/achievements/achievements.ts";
import { formText, type ConsoleForm } from "../context.ts";
import { csrfField, field, type Html } from "../html.ts";

export interface AchievementValues {
  name: string;
  description: string;
  criteria: string;
  imageUrl: string;
  /** Comma-separated. */
  tags: string;
  notifyRecipients: boolean;
}

/** Longest name the preview image accepts (the API's limit). */
export const PREVIEW_NAME_MAX = 200;

export function valuesOfRow(row: AchievementRow): AchievementValues {
  return {
    name: row.name,
    description: row.description,
    criteria: row.criteriaNarrative,
    imageUrl: row.imageUrl ?? "",
    tags: row.tags.join(", "),
    notifyRecipients: row.notifyRecipients,
  };
}

export function valuesOfForm(form: ConsoleForm): AchievementValues {
  return {
    name: formText(form, "name", 400),
    description: formText(form, "description", 4_000),
    criteria: formText(form, "criteria", 20_000),
    imageUrl: formText(form, "imageUrl", 4_096).trim(),
    tags: formText(form, "tags", 2_000),
    // An unchecked checkbox is absent from the posted form.
    notifyRecipients: formText(form, "notifyRecipients", 10) === "on",
  };
}

// The API's field paths, mapped to this form's field names.
const FIELD_OF_PATH: Record<string, keyof AchievementValues> = {
  name: "name",
  description: "description",
  criteria: "criteria",
  imageUrl: "imageUrl",
  tags: "tags",
  notifyRecipients: "notifyRecipients",
};

const MESSAGES: Record<keyof AchievementValues, string> = {
  name: "Give a name of 1 to 200 characters.",
  description: "Give a description of 1 to 2,000 characters.",
  criteria: "Say how it is earned, in 1 to 10,000 characters.",
  imageUrl: "Give an https:// address of at most 2,048 characters, or leave it empty.",
  tags: "Give at most 20 tags, each of 1 to 50 characters, separated by commas.",
  notifyRecipients: "Choose whether recipients are emailed.",
};

/** The values as the API's body, checked by its schema: the body, or an error per form field. */
export function checkValues(v: AchievementValues): { ok: true; input: NewAchievement } | { ok: false; errors: Record<string, string> } {
  const tags = v.tags.split(",").map((t) => t.trim()).filter(Boolean);
  const parsed = CreateAchievementBody.safeParse({
    name: v.name,
    description: v.description,
    criteria: { narrative: v.criteria },
    ...(v.imageUrl ? { imageUrl: v.imageUrl } : {}),
    tags,
    notifyRecipients: v.notifyRecipients,
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = FIELD_OF_PATH[String(issue.path[0])];
    if (name && !errors[name]) errors[name] = MESSAGES[name];
  }
  return { ok: false, errors };
}

/** The URL of the badge preview image for these values (rendered by GET /console/achievements/preview.png). */
export function previewUrl(seed: string, name: string): string {
  const q = new URLSearchParams({ seed, name: name.trim().slice(0, PREVIEW_NAME_MAX) || "Your achievement" });
  return `/console/achievements/preview.png?${q}`;
}

function textarea(o: { name: string; label: string; value: string; error?: string; hint?: string; maxlength: number; rows?: number }): Html {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : "", o.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div>
    <label for="${id}">${o.label}</label>
    <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 3}" maxlength="${o.maxlength}" required
      ${described ? html`aria-describedby="${described}"` : ""} ${o.error ? html`aria-invalid="true"` : ""}>${o.value}</textarea>
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
    ${o.error ? html`<p class="error" id="${id}-error">${o.error}</p>` : ""}
  </div>`;
}

export interface FormOptions {
  action: string;
  csrfToken: string;
  /** The achievement's id, or the one a new achievement will get (its palette). */
  seed: string;
  values: AchievementValues;
  errors: Record<string, string>;
  /** Set on edit once credentials exist: the name is shown, not editable. */
  nameFixed: boolean;
  submitLabel: string;
}

/**
 * The form with its badge preview. Without JavaScript, the "Preview" button posts the unsaved
 * values and the page comes back with the preview redrawn; /console/assets/achievement-preview.js
 * redraws it as the name is typed.
 */
export function achievementForm(o: FormOptions): Html {
  const v = o.values;
  return html`<div class="achievement-edit">
    <form class="stack card" method="post" action="${o.action}" novalidate data-badge-preview="${o.seed}">
      ${csrfField(o.csrfToken)}
      <input type="hidden" name="seed" value="${o.seed}" />
      ${o.nameFixed
        ? html`<div><p><strong>Name:</strong> ${v.name}</p><input type="hidden" name="name" value="${v.name}" />
            <p class="hint">The name is fixed once credentials of this achievement exist: it is drawn on the badge image every credential of it shares.</p></div>`
        : field({ name: "name", label: "Name", value: v.name, required: true, error: o.errors.name, maxlength: PREVIEW_NAME_MAX, autocomplete: "off" })}
      ${textarea({ name: "description", label: "Description", value: v.description, error: o.errors.description, maxlength: 2_000 })}
      ${textarea({ name: "criteria", label: "Criteria (how it is earned)", value: v.criteria, error: o.errors.criteria, maxlength: 10_000, rows: 4 })}
      ${field({ name: "tags", label: "Tags (optional)", value: v.tags, error: o.errors.tags, hint: "Separated by commas, e.g. “cryptography, security”.", maxlength: 1_100 })}
      ${field({ name: "imageUrl", label: "Image address (optional)", type: "url", value: v.imageUrl, error: o.errors.imageUrl, hint: "An https:// image listed in the credential. Badges use the generated design below.", maxlength: 2_048 })}
      <div><input type="checkbox" id="f-notifyRecipients" name="notifyRecipients" ${v.notifyRecipients ? html`checked` : ""} />
        <label for="f-notifyRecipients">Email recipients when a credential of this achievement is issued</label></div>
      <div class="actions"><button type="submit" name="intent" value="save">${o.submitLabel}</button>
        <button class="secondary" type="submit" name="intent" value="preview">Preview</button></div>
    </form>
    <figure class="card badge-preview">
      <img src="${previewUrl(o.seed, v.name)}" width="200" height="200" alt="Badge preview: ${v.name || "Your achievement"}" data-preview-image />
      <figcaption class="hint">The generated badge, as credentials of this achievement will show it.</figcaption>
    </figure>
  </div>`;
}
