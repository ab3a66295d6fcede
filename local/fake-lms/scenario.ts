// A fake LMS course ("scenario"): its learners and how the fake misbehaves. Tests create one per
// case over HTTP (server.ts), so cases never share state.

export interface FakeLearner {
  id: number;
  name: string;
  /** Canvas `email` / Moodle `email`; null: none on record. */
  email: string | null;
  /** Canvas `login_id` (the fallback address). */
  loginId: string;
  /** Canvas: enrollment completed; Moodle: course completion. */
  completed: boolean;
  /** Moodle: the completion call answers a Moodle error object for this user. */
  completionError?: boolean;
  /** The record is malformed (name missing, id of the wrong type). */
  malformed?: boolean;
}

export type FakeMode =
  | "normal"
  | "hang" // accepts the request, never answers
  | "html" // 200 with an HTML error page
  | "truncated" // JSON cut off halfway
  | "redirect" // 302 to a login page
  | "foreign-next" // Canvas: the Link next page points to another host
  | "error500";

export interface ScenarioOptions {
  kind: "canvas" | "moodle";
  token: string;
  courseId: string;
  /** Learners 1001…1000+n, completed, with an address `learner<id>@example.edu`. */
  learnerCount: number;
  /** Ids with neither an email nor an email-shaped login_id. */
  noEmail: number[];
  /** Ids with no `email` whose login_id is their address (Canvas fallback). */
  loginEmail: number[];
  notCompleted: number[];
  completionError: number[];
  malformed: number[];
  /** The first N LMS requests answer 429 with Retry-After. */
  throttleFirst: number;
  retryAfterSeconds: number;
  mode: FakeMode;
  /** Canvas per_page default when the client sends none (Canvas: 10). */
  defaultPerPage: number;
}

export interface Scenario {
  options: ScenarioOptions;
  learners: FakeLearner[];
  /** LMS requests received (control requests not counted), with their arrival times. */
  requests: { at: number; path: string }[];
}

export const DEFAULTS: ScenarioOptions = {
  kind: "canvas",
  token: "fake-token",
  courseId: "101",
  learnerCount: 0,
  noEmail: [],
  loginEmail: [],
  notCompleted: [],
  completionError: [],
  malformed: [],
  throttleFirst: 0,
  retryAfterSeconds: 1,
  mode: "normal",
  defaultPerPage: 10,
};

function learner(id: number, o: ScenarioOptions): FakeLearner {
  const address = `learner${id}@example.edu`;
  return {
    id,
    name: `Learner ${id}`,
    email: o.noEmail.includes(id) || o.loginEmail.includes(id) ? null : address,
    loginId: o.noEmail.includes(id) ? `learner${id}` : address,
    completed: !o.notCompleted.includes(id),
    completionError: o.completionError.includes(id),
    malformed: o.malformed.includes(id),
  };
}

export function buildScenario(input: Partial<ScenarioOptions>): Scenario {
  const options = { ...DEFAULTS, ...input };
  const learners = Array.from({ length: options.learnerCount }, (_, i) => learner(1001 + i, options));
  return { options, learners, requests: [] };
}

/** Applies a change: new option values, and `addLearners` more learners after the last. */
export function changeScenario(s: Scenario, change: Partial<ScenarioOptions> & { addLearners?: number; complete?: number[] }): void {
  const { addLearners, complete, ...options } = change;
  Object.assign(s.options, options);
  const last = s.learners.at(-1)?.id ?? 1000;
  for (let i = 1; i <= (addLearners ?? 0); i++) s.learners.push(learner(last + i, s.options));
  for (const id of complete ?? []) {
    const found = s.learners.find((l) => l.id === id);
    if (found) found.completed = true;
  }
}
