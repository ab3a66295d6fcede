// Moodle web services (REST, JSON): core_enrol_get_enrolled_users for a course's users, then
// core_completion_get_course_completion_status per user; `completionstatus.completed === true` is
// a completion. Moodle answers errors as HTTP 200 with `{exception, errorcode, message}`.
import { z } from "zod";
import { LmsError, lmsGet, parseJson, type LmsCallContext } from "./lms-http.ts";
import { learnerName, recordText, usableEmail, type LearnerProblem, type LmsLearner } from "./learners.ts";

/** Enrolled users read at most from one course. */
export const MOODLE_MAX_USERS = 10_000;

function moodleUrl(baseUrl: string, token: string, wsfunction: string, params: Record<string, string>): string {
  const url = new URL("webservice/rest/server.php", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("wstoken", token);
  url.searchParams.set("moodlewsrestformat", "json");
  url.searchParams.set("wsfunction", wsfunction);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

const MoodleException = z.object({ exception: z.string(), errorcode: z.string().optional(), message: z.string().optional() });

/** The Moodle error object's text, when `body` is one. */
function moodleError(body: unknown): string | null {
  const parsed = MoodleException.safeParse(body);
  if (!parsed.success) return null;
  const { errorcode, message } = parsed.data;
  return `${errorcode ?? parsed.data.exception}${message ? `: ${message.slice(0, 200)}` : ""}`;
}

const MoodleUser = z.object({
  id: z.number().int().nonnegative(),
  fullname: z.string().trim().min(1),
  email: z.string().nullish(),
});

export interface MoodleRoster {
  users: LmsLearner[];
  problems: LearnerProblem[];
}

/** The course's enrolled users (an error object, e.g. an invalid token, fails the sync with its message). */
export async function fetchMoodleUsers(ctx: LmsCallContext, baseUrl: string, token: string, courseId: string): Promise<MoodleRoster> {
  const what = "Moodle core_enrol_get_enrolled_users";
  const answer = await lmsGet(ctx, moodleUrl(baseUrl, token, "core_enrol_get_enrolled_users", { courseid: courseId }), {}, what);
  const body = parseJson(answer.text, what);
  const error = moodleError(body);
  if (error) throw new LmsError(`${what}: Moodle error ${error}`, null, recordText(body));
  if (!Array.isArray(body)) throw new LmsError(`${what}: the LMS answered a ${typeof body}, not a list of users`, null, recordText(body));
  if (body.length > MOODLE_MAX_USERS) throw new LmsError(`${what}: the course has more than ${MOODLE_MAX_USERS} users`);
  const users: LmsLearner[] = [];
  const problems: LearnerProblem[] = [];
  body.forEach((raw, index) => {
    const parsed = MoodleUser.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const issue = parsed.error.issues[0];
      problems.push({
        lmsUserId: Number.isSafeInteger(id) ? String(id) : `#1.${index}`,
        code: "MALFORMED_RECORD",
        detail: `Moodle user record: ${issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "unreadable"}`,
        record: recordText(raw),
      });
      return;
    }
    // A user without a usable email is kept: whether it matters depends on their completion.
    users.push({ lmsUserId: String(parsed.data.id), name: learnerName(parsed.data.fullname), email: usableEmail(parsed.data.email) ?? "" });
  });
  return { users, problems };
}

const CompletionStatus = z.object({ completionstatus: z.object({ completed: z.boolean() }) });

export type MoodleCompletion = { completed: boolean } | { problem: Omit<LearnerProblem, "lmsUserId"> };

/**
 * One user's course completion. A Moodle error object or a malformed answer is that user's problem
 * (reported, the sync goes on); 429/5xx/no answer throw LmsError (the step is retried).
 */
export async function fetchMoodleCompletion(ctx: LmsCallContext, baseUrl: string, token: string, courseId: string, userId: string): Promise<MoodleCompletion> {
  const what = `Moodle core_completion_get_course_completion_status for user ${userId}`;
  const answer = await lmsGet(ctx, moodleUrl(baseUrl, token, "core_completion_get_course_completion_status", { courseid: courseId, userid: userId }), {}, what);
  let body: unknown;
  try {
    body = parseJson(answer.text, what);
  } catch (error) {
    if (error instanceof LmsError) return { problem: { code: "MALFORMED_RECORD", detail: error.message, record: error.record ?? "" } };
    throw error;
  }
  const moodle = moodleError(body);
  if (moodle) {
    // An invalid token is the sync's failure, not this user's.
    if (/invalidtoken|accessexception/i.test(moodle)) throw new LmsError(`${what}: Moodle error ${moodle}`, null, recordText(body));
    return { problem: { code: "LMS_ERROR", detail: `Moodle error ${moodle}`, record: recordText(body) } };
  }
  const parsed = CompletionStatus.safeParse(body);
  if (!parsed.success) return { problem: { code: "MALFORMED_RECORD", detail: `${what}: no completionstatus.completed boolean`, record: recordText(body) } };
  return { completed: parsed.data.completionstatus.completed };
}
