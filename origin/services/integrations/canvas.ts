// Canvas: "List users in course" (GET /api/v1/courses/:course_id/users) for the students whose
// enrollment is completed, with their email, 100 per page, following the `Link: <…>; rel="next"`
// header. Each user is a completion; the email falls back to login_id when that is an address.
import { z } from "zod";
import { LmsError, lmsGet, parseJson, type LmsCallContext } from "./lms-http.ts";
import { learnerName, recordText, usableEmail, type LearnerProblem, type LmsLearner } from "./learners.ts";

/** Pages followed at most (100 users each): a course past that fails the sync rather than run on. */
export const CANVAS_MAX_PAGES = 200;
const LINK_HEADER_MAX = 16 * 1024;

/** The first page's URL for a course. */
export function canvasFirstPageUrl(baseUrl: string, courseId: string): string {
  const url = new URL(`api/v1/courses/${encodeURIComponent(courseId)}/users`, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.append("enrollment_type[]", "student");
  url.searchParams.append("enrollment_state[]", "completed");
  url.searchParams.append("include[]", "email");
  url.searchParams.append("per_page", "100");
  return url.toString();
}

const CanvasUser = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  name: z.string().trim().min(1),
  email: z.string().nullish(),
  login_id: z.string().nullish(),
});

export interface CanvasPage {
  learners: LmsLearner[];
  problems: LearnerProblem[];
  /** The next page's URL, or null on the last page. */
  next: string | null;
}

/** Fetches and reads one page of completed students. */
export async function fetchCanvasPage(ctx: LmsCallContext, baseUrl: string, pageUrl: string, token: string, pageNumber: number): Promise<CanvasPage> {
  const what = `Canvas users page ${pageNumber}`;
  const answer = await lmsGet(ctx, pageUrl, { authorization: `Bearer ${token}` }, what);
  const body = parseJson(answer.text, what);
  if (!Array.isArray(body)) throw new LmsError(`${what}: the LMS answered a ${typeof body === "object" && body !== null ? "JSON object" : typeof body}, not a list of users`, null, recordText(body));
  const learners: LmsLearner[] = [];
  const problems: LearnerProblem[] = [];
  body.forEach((raw, index) => {
    const parsed = CanvasUser.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const issue = parsed.error.issues[0];
      problems.push({
        lmsUserId: typeof id === "number" || (typeof id === "string" && /^\d{1,20}$/.test(id)) ? String(id) : `#${pageNumber}.${index}`,
        code: "MALFORMED_RECORD",
        detail: `Canvas user record: ${issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "unreadable"}`,
        record: recordText(raw),
      });
      return;
    }
    const user = parsed.data;
    const email = usableEmail(user.email) ?? usableEmail(user.login_id);
    if (!email) {
      problems.push({ lmsUserId: String(user.id), code: "NO_EMAIL", detail: "The Canvas user has neither an email nor an email-shaped login_id.", record: recordText(raw) });
      return;
    }
    learners.push({ lmsUserId: String(user.id), name: learnerName(user.name), email });
  });
  return { learners, problems, next: nextPageUrl(answer.headers.get("link"), baseUrl, what) };
}

/**
 * The rel="next" URL of a Link header (RFC 8288), or null. A next link to another origin than the
 * integration's base URL is refused: following it would let the LMS point us anywhere (SSRF).
 */
export function nextPageUrl(header: string | null, baseUrl: string, what = "Canvas users page"): string | null {
  if (!header) return null;
  if (header.length > LINK_HEADER_MAX) throw new LmsError(`${what}: the Link header is longer than ${LINK_HEADER_MAX} bytes`);
  for (const part of header.split(",")) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2]!)?.[1]?.toLowerCase().split(/\s+/) ?? [];
    if (!rels.includes("next")) continue;
    let next: URL;
    try {
      next = new URL(match[1]!, baseUrl);
    } catch {
      throw new LmsError(`${what}: the next page link is not a URL`, null, match[1]!.slice(0, 200));
    }
    if (next.origin !== new URL(baseUrl).origin) throw new LmsError(`${what}: the next page link points to another host (${next.host}), not followed`);
    return next.toString();
  }
  return null;
}
