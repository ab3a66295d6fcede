// A fake Canvas "List users in course" endpoint, as the Canvas REST API documents it:
// GET /api/v1/courses/:course_id/users with enrollment_type[], enrollment_state[], include[] and
// per_page (default 10, at most 100) / page; pagination by the Link header (rel current, next,
// first, last); `email` only with include[]=email; 401 {"errors":[{"message":"Invalid access token."}]}
// for a bad token, 404 for an unknown course.
import type http from "node:http";
import type { Scenario } from "./scenario.ts";

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
}

export function canvasUsers(s: Scenario, req: http.IncomingMessage, res: http.ServerResponse, url: URL, courseId: string, selfOrigin: string): void {
  const auth = req.headers.authorization ?? "";
  if (auth !== `Bearer ${s.options.token}`) {
    return sendJson(res, 401, { errors: [{ message: "Invalid access token." }] }, { "www-authenticate": 'Bearer realm="canvas-lms"' });
  }
  if (courseId !== s.options.courseId) return sendJson(res, 404, { errors: [{ message: "The specified resource does not exist." }] });

  const states = url.searchParams.getAll("enrollment_state[]");
  const includeEmail = url.searchParams.getAll("include[]").includes("email");
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? s.options.defaultPerPage) || s.options.defaultPerPage));
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  // Only completed enrollments when enrollment_state[]=completed is asked (the fake's students are all active or completed).
  const matching = s.learners.filter((l) => (states.length === 0 ? true : states.includes("completed") ? l.completed : !l.completed));
  const slice = matching.slice((page - 1) * perPage, page * perPage);
  const body = slice.map((l) =>
    l.malformed
      ? { id: String(l.id) + "x", sortable_name: l.name }
      : {
          id: l.id,
          name: l.name,
          created_at: "2026-01-12T10:00:00-07:00",
          sortable_name: l.name.split(" ").reverse().join(", "),
          short_name: l.name,
          sis_user_id: `SIS${l.id}`,
          login_id: l.loginId,
          ...(includeEmail ? { email: l.email } : {}),
        },
  );

  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
  const linkBase = s.options.mode === "foreign-next" ? selfOrigin.replace("127.0.0.1", "localhost") : selfOrigin;
  const pageUrl = (n: number, base = selfOrigin) => {
    const u = new URL(url.pathname, base);
    for (const [k, v] of url.searchParams) if (k !== "page" && k !== "per_page") u.searchParams.append(k, v);
    u.searchParams.set("page", String(n));
    u.searchParams.set("per_page", String(perPage));
    return u.toString();
  };
  const links = [`<${pageUrl(page)}>; rel="current"`];
  if (page < lastPage) links.push(`<${pageUrl(page + 1, linkBase)}>; rel="next"`);
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
  links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(lastPage)}>; rel="last"`);
  sendJson(res, 200, body, { link: links.join(",") });
}
