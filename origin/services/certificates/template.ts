// Per-achievement certificate templates: page size, accent colour and title of the printable
// certificate. One schema for the achievement API's `certificate` field (create and
// PUT /v1/achievements/{id}/certificate); stored in `certificate_templates`, read by the renderer.
import { z } from "@hono/zod-openapi";
import type { Database } from "../../db/client.ts";
import type { CertificatePageSize } from "./render.ts";

/** What a certificate looks like when its achievement has no template. */
export const DEFAULT_TEMPLATE = { pageSize: "A4", accentColor: "#175a3d", title: "Certificate of achievement" } as const;
export const TITLE_MAX = 80;

export interface CertificateTemplate {
  pageSize: CertificatePageSize;
  accentColor: string;
  title: string;
}

/** The `certificate` field of the achievement API: every member optional, a missing one takes its default. */
export const CertificateTemplateInput = z
  .object({
    pageSize: z.enum(["A4", "Letter"]).optional().openapi({ description: `Landscape page (default ${DEFAULT_TEMPLATE.pageSize}).` }),
    accentColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour as #rrggbb")
      .optional()
      .openapi({ description: `Colour of the borders, the title and the achievement's name (default ${DEFAULT_TEMPLATE.accentColor}).`, example: "#1a56db" }),
    title: z
      .string()
      .trim()
      .min(1, `must be 1-${TITLE_MAX} characters`)
      .max(TITLE_MAX, `must be 1-${TITLE_MAX} characters`)
      .optional()
      .openapi({ description: `The heading (default "${DEFAULT_TEMPLATE.title}", drawn in capitals).`, example: "Certificate of completion" }),
  })
  .strict()
  .openapi("CertificateTemplateInput");

export const CertificateTemplateSchema = z
  .object({ pageSize: z.enum(["A4", "Letter"]), accentColor: z.string(), title: z.string() })
  .openapi("CertificateTemplate", { description: "How the achievement's certificates look (defaults filled in)." });

export type CertificateTemplateFields = z.infer<typeof CertificateTemplateInput>;

/** Stores (replaces) the achievement's template; members left out take their defaults. */
export async function saveTemplate(db: Database, orgId: string, achievementId: string, t: CertificateTemplateFields): Promise<CertificateTemplate> {
  const saved = {
    pageSize: t.pageSize ?? DEFAULT_TEMPLATE.pageSize,
    accentColor: (t.accentColor ?? DEFAULT_TEMPLATE.accentColor).toLowerCase(),
    title: t.title ?? DEFAULT_TEMPLATE.title,
  };
  await db.$client.execute({
    sql: `INSERT INTO certificate_templates (achievement_id, org_id, page_size, accent_color, title, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
          ON CONFLICT (achievement_id) DO UPDATE SET page_size = ?3, accent_color = ?4, title = ?5, updated_at = ?6`,
    args: [achievementId, orgId, saved.pageSize, t.accentColor?.toLowerCase() ?? null, t.title ?? null, Date.now()],
  });
  return saved;
}

/** The templates of these achievements, defaults filled in for those without one. */
export async function templatesOf(db: Database, achievementIds: readonly string[]): Promise<Map<string, CertificateTemplate>> {
  const found = new Map<string, CertificateTemplate>();
  if (achievementIds.length > 0) {
    const result = await db.$client.execute({
      sql: "SELECT achievement_id, page_size, accent_color, title FROM certificate_templates WHERE achievement_id IN (SELECT value FROM json_each(?))",
      args: [JSON.stringify(achievementIds)],
    });
    for (const row of result.rows) {
      found.set(String(row.achievement_id), {
        pageSize: String(row.page_size) === "Letter" ? "Letter" : "A4",
        accentColor: row.accent_color == null ? DEFAULT_TEMPLATE.accentColor : String(row.accent_color),
        title: row.title == null ? DEFAULT_TEMPLATE.title : String(row.title),
      });
    }
  }
  return new Map(achievementIds.map((id) => [id, found.get(id) ?? { ...DEFAULT_TEMPLATE }]));
}

/** The template of one achievement (defaults when it has none). */
export async function templateOf(db: Database, achievementId: string): Promise<CertificateTemplate> {
  return (await templatesOf(db, [achievementId])).get(achievementId)!;
}
