// Request and answer schemas of the LMS integration routes (routes/integrations.ts).
import { z } from "@hono/zod-openapi";
import { SCHEDULE_RULE, scheduleMinutes } from "../services/integrations/schedule.ts";

const Kind = z.enum(["canvas", "moodle"]).openapi({ description: "The LMS: Canvas (REST API) or Moodle (web services, REST protocol)." });
const Name = z.string().trim().min(1).max(200).openapi({ example: "CS101 Fall 2026" });
const BaseUrl = z
  .string()
  .max(2048)
  .openapi({ format: "uri", example: "https://canvas.example.edu", description: "The LMS's root URL: public https only (422 URL_NOT_ALLOWED otherwise)." });
const Token = z.string().min(1).max(4096).openapi({ description: "Canvas access token or Moodle web service token. Encrypted at rest, never answered.", example: "1~AbCdEf…" });
const CourseId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1-100 letters, digits or _.:-")
  .openapi({ example: "4711", description: "The course id in the LMS (Moodle: a number)." });
const AchievementId = z.string().min(1).max(64).openapi({ description: "The achievement each completion earns (404 ACHIEVEMENT_NOT_FOUND when not your org's)." });
const Schedule = z
  .string()
  .max(40)
  .refine((value) => scheduleMinutes(value) !== null, SCHEDULE_RULE)
  .nullable()
  .openapi({ example: "hourly", description: `Automatic syncs: ${SCHEDULE_RULE}; null (default): on request only.` });
const RequestsPerSecond = z.number().int().min(1).max(50).openapi({ description: "LMS requests per second at most (default 5).", example: 5 });
const MaxConcurrency = z.number().int().min(1).max(10).openapi({ description: "LMS requests in flight at most (default 2).", example: 2 });

/** Moodle course ids are numbers (its web services take an integer id). */
export const MOODLE_COURSE_ID = /^\d{1,18}$/;
export const MOODLE_COURSE_RULE = "must be a number for Moodle";

const moodleCourseRule = (body: { kind?: string; courseId?: string }, ctx: z.RefinementCtx) => {
  if (body.kind === "moodle" && body.courseId !== undefined && !MOODLE_COURSE_ID.test(body.courseId)) {
    ctx.addIssue({ code: "custom", path: ["courseId"], message: MOODLE_COURSE_RULE });
  }
};

export const CreateIntegrationBody = z
  .object({
    kind: Kind,
    name: Name,
    baseUrl: BaseUrl,
    token: Token,
    courseId: CourseId,
    achievementId: AchievementId,
    schedule: Schedule.optional(),
    requestsPerSecond: RequestsPerSecond.optional(),
    maxConcurrency: MaxConcurrency.optional(),
  })
  .superRefine(moodleCourseRule)
  .openapi("CreateIntegrationRequest");

export const UpdateIntegrationBody = z
  .object({
    name: Name.optional(),
    baseUrl: BaseUrl.optional(),
    token: Token.optional(),
    courseId: CourseId.optional(),
    achievementId: AchievementId.optional(),
    schedule: Schedule.optional(),
    requestsPerSecond: RequestsPerSecond.optional(),
    maxConcurrency: MaxConcurrency.optional(),
  })
  .openapi("UpdateIntegrationRequest");

export const SyncSchema = z
  .object({
    id: z.string().uuid(),
    integrationId: z.string().uuid(),
    trigger: z.enum(["api", "schedule"]),
    status: z.enum(["queued", "running", "completed", "completed_with_errors", "failed"]),
    learnersSeen: z.number().int().openapi({ description: "LMS users looked at (Moodle: enrolled users; Canvas: completed students)." }),
    completionsSeen: z.number().int(),
    credentialsIssued: z.number().int(),
    skipped: z.number().int().openapi({ description: "Completions already issued (by an earlier or concurrent sync)." }),
    errorCount: z.number().int().openapi({ description: "Learners not issued because of a problem (all of them counted)." }),
    errors: z
      .array(
        z.object({
          lmsUserId: z.string().openapi({ description: "The LMS user id, or `#<page>.<index>` for a record without one." }),
          code: z.enum(["MALFORMED_RECORD", "NO_EMAIL", "LMS_ERROR", "INVALID_RECIPIENT"]).or(z.string()),
          detail: z.string(),
          record: z.string().nullable().openapi({ description: "The offending LMS record (JSON, truncated)." }),
        }),
      )
      .openapi({ description: "The first errors (up to 100; 20 per sync in lists)." }),
    failureReason: z.string().nullable().openapi({ description: "Why a `failed` sync stopped." }),
    createdAt: z.string().openapi({ format: "date-time" }),
    finishedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("IntegrationSync");

export const IntegrationSchema = z
  .object({
    id: z.string().uuid(),
    kind: Kind,
    name: z.string(),
    baseUrl: z.string(),
    courseId: z.string(),
    achievementId: z.string(),
    schedule: z.string().nullable(),
    requestsPerSecond: z.number().int(),
    maxConcurrency: z.number().int(),
    nextSyncAt: z.string().nullable().openapi({ format: "date-time", description: "The next scheduled sync; null without a schedule." }),
    lastSync: SyncSchema.nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Integration");

export const IntegrationIdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }),
});

export const SyncParams = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }),
  syncId: z.string().min(1).max(64).openapi({ param: { name: "syncId", in: "path" } }),
});
