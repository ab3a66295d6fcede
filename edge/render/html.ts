// The template moved to shared/ (the origin's pages and emails use it too).
export { escapeHtml, html, SafeHtml, unsafeRaw, type HtmlValue } from "../../shared/html.ts";
