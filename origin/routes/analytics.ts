// Analytics: GET /v1/analytics/summary (the org, or one achievement) and
// GET /v1/analytics/credentials/:id (one credential): per UTC day and in total, credentials issued
// and revoked, and the events the edge counted (edge/README.md "Analytics"), bots apart.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { COUNTED_EVENTS } from "../../shared/origin-rpc.ts";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { problems } from "../http/openapi.ts";
import { findAchievement } from "../services/achievements/achievements.ts";
import { addDays, daysBetween, isCalendarDay, utcDayOf } from "../services/analytics/days.ts";
import { analyticsPerDay, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "../services/analytics/summary.ts";
import { findCredential } from "../services/credentials/credentials.ts";
import { validationFailed } from "../validation.ts";
import { IdParam } from "./schemas.ts";

const Day = z
  .string()
  .refine(isCalendarDay, { message: "must be a calendar day written YYYY-MM-DD (UTC)" })
  .optional();

const RangeQuery = z.object({
  from: Day.openapi({ description: `First UTC day, YYYY-MM-DD (default: ${DEFAULT_RANGE_DAYS - 1} days before \`to\`).`, example: "2026-11-01" }),
  to: Day.openapi({ description: `Last UTC day, YYYY-MM-DD, included (default: today). At most ${MAX_RANGE_DAYS} days from \`from\`.`, example: "2026-11-30" }),
});

const eventDescriptions: Record<(typeof COUNTED_EVENTS)[number], string> = {
  views: "Views of the credential page /c/:id.",
  verifications: "GET /api/v1/verify/:id, and POST /api/v1/verify of this credential.",
  shares: "Clicks on Add to LinkedIn profile (through the counting redirect /c/:id/linkedin).",
  images: "Fetches of the badge PNG and the social card PNG.",
  embeds: "Views of the embed widget /c/:id/embed.",
};

const EventsSchema = z.object(Object.fromEntries(COUNTED_EVENTS.map((e) => [e, z.number().int().openapi({ description: eventDescriptions[e] })])) as Record<(typeof COUNTED_EVENTS)[number], z.ZodNumber>);

const FiguresSchema = EventsSchema.extend({
  issued: z.number().int().openapi({ description: "Credentials issued (UTC day of issuedAt)." }),
  revoked: z.number().int().openapi({ description: "Credentials revoked (UTC day of revocation)." }),
  bots: EventsSchema.openapi({ description: "The same events by self-announced bots and link-preview fetchers; not included in the figures above." }),
}).openapi("AnalyticsFigures");

const DayFiguresSchema = FiguresSchema.extend({ date: z.string().openapi({ example: "2026-11-29" }) }).openapi("AnalyticsDay");

const SummarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    achievementId: z.string().nullable(),
    days: z.array(DayFiguresSchema).openapi({ description: "Every day of the range, oldest first (days without activity are zeros)." }),
    totals: FiguresSchema,
  })
  .openapi("AnalyticsSummary");

const CredentialAnalyticsSchema = z
  .object({ credentialId: z.string(), achievementId: z.string(), from: z.string(), to: z.string(), days: z.array(DayFiguresSchema), totals: FiguresSchema })
  .openapi("CredentialAnalytics");

const COUNTING_NOTE =
  "Counted events reach the figures within about a minute (the edge flushes its counters in batches). " +
  "Days are UTC. Self-announced bots are counted apart, under `bots`.";

const summaryRoute = createRoute({
  method: "get",
  path: "/v1/analytics/summary",
  tags: ["Analytics"],
  summary: "Per-day analytics of the org's credentials",
  description: `Scope \`read\`. ${COUNTING_NOTE} An unknown achievementId (or another org's) answers 404 ACHIEVEMENT_NOT_FOUND.`,
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: {
    query: RangeQuery.extend({ achievementId: z.string().min(1).max(64).optional().openapi({ description: "Only credentials of this achievement." }) }),
  },
  responses: {
    200: { description: "Figures per day and totals", content: { "application/json": { schema: SummarySchema } } },
    ...problems(400, 401, 403, 404),
  },
});

const credentialRoute = createRoute({
  method: "get",
  path: "/v1/analytics/credentials/{id}",
  tags: ["Analytics"],
  summary: "Per-day analytics of one credential",
  description: `Scope \`read\`. ${COUNTING_NOTE} Another org's credential answers 404.`,
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IdParam, query: RangeQuery },
  responses: {
    200: { description: "Figures per day and totals", content: { "application/json": { schema: CredentialAnalyticsSchema } } },
    ...problems(400, 401, 403, 404),
  },
});

/** The query's range with its defaults, or 400 naming the field when it is reversed or too long. */
export function rangeOf(query: { from?: string; to?: string }, now = Date.now()): { from: string; to: string } {
  const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_RANGE_DAYS - 1) : utcDayOf(now));
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw validationFailed("query", [{ field: "from", rule: "not_after_to", detail: `must not be after to (${to})` }]);
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    throw validationFailed("query", [{ field: "to", rule: "max_range", detail: `must be at most ${MAX_RANGE_DAYS} days from from (${from}), both included` }]);
  }
  return { from, to };
}

/** Registers the analytics routes. */
export function registerAnalyticsRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(summaryRoute, async (c) => {
    c.var.rc.operation = "analytics.summary";
    const query = c.req.valid("query");
    const range = rangeOf(query);
    const db = database(c.env);
    if (query.achievementId && !(await findAchievement(db, c.var.org.id, query.achievementId))) {
      throw new AppError(404, "ACHIEVEMENT_NOT_FOUND", "achievementId: no achievement with this id.");
    }
    const figures = await analyticsPerDay(db, { orgId: c.var.org.id, ...range, achievementId: query.achievementId });
    return c.json({ ...range, achievementId: query.achievementId ?? null, ...figures }, 200);
  });

  app.openapi(credentialRoute, async (c) => {
    c.var.rc.operation = "analytics.credential";
    const range = rangeOf(c.req.valid("query"));
    const db = database(c.env);
    const credential = await findCredential(db, c.var.org.id, c.req.valid("param").id.toLowerCase());
    if (!credential) throw new AppError(404, "NOT_FOUND", "No credential with this id.");
    const figures = await analyticsPerDay(db, { orgId: c.var.org.id, ...range, credentialId: credential.id });
    return c.json({ credentialId: credential.id, achievementId: credential.achievementId, ...range, ...figures }, 200);
  });
}
