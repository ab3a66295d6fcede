// A fake Moodle web service endpoint (REST protocol, JSON format): /webservice/rest/server.php with
// wstoken, moodlewsrestformat=json and wsfunction, parameters in the query or a form body. Errors
// are HTTP 200 with {exception, errorcode, message}, as Moodle answers them.
import type http from "node:http";
import type { Scenario } from "./scenario.ts";

function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

const exception = (exceptionName: string, errorcode: string, message: string) => ({ exception: exceptionName, errorcode, message });

export function moodleServer(s: Scenario, res: http.ServerResponse, params: URLSearchParams): void {
  if (params.get("wstoken") !== s.options.token) return sendJson(res, exception("moodle_exception", "invalidtoken", "Invalid token - token not found"));
  const fn = params.get("wsfunction");
  const courseId = params.get("courseid");
  if (courseId !== s.options.courseId) {
    return sendJson(res, exception("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course."));
  }
  if (fn === "core_enrol_get_enrolled_users") {
    return sendJson(
      res,
      s.learners.map((l) =>
        l.malformed
          ? { id: `u${l.id}`, username: `learner${l.id}` }
          : {
              id: l.id,
              username: `learner${l.id}`,
              firstname: "Learner",
              lastname: String(l.id),
              fullname: l.name,
              ...(l.email ? { email: l.email } : {}),
              firstaccess: 1767225600,
              lastaccess: 1769904000,
              enrolledcourses: [{ id: Number(s.options.courseId), fullname: "Fake Course", shortname: "FAKE" }],
            },
      ),
    );
  }
  if (fn === "core_completion_get_course_completion_status") {
    const user = s.learners.find((l) => String(l.id) === params.get("userid"));
    if (!user) return sendJson(res, exception("moodle_exception", "invaliduser", "Invalid user"));
    if (user.completionError) return sendJson(res, exception("moodle_exception", "nocriteriaset", "No criteria set for this course"));
    return sendJson(res, {
      completionstatus: {
        completed: user.completed,
        aggregation: 1,
        completions: [
          { type: 4, title: "Activity completion", status: user.completed ? "Yes" : "No", complete: user.completed, timecompleted: user.completed ? 1769904000 : null, details: { type: "Activity completion", criteria: "Quiz 1", requirement: "Marking yourself complete", status: "" } },
        ],
      },
      warnings: [],
    });
  }
  sendJson(res, exception("invalid_parameter_exception", "invalidparameter", `Invalid parameter value detected (unknown function ${fn})`));
}
