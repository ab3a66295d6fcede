// The small parsers of LMS answers and settings: Link headers, Retry-After, schedules, and the
// pacer's concurrency bound.
import { describe, expect, it } from "vitest";
import { canvasFirstPageUrl, nextPageUrl } from "./canvas.ts";
import { LmsError, retryAfterSeconds } from "./lms-http.ts";
import { Pacer } from "./pacer.ts";
import { scheduleMinutes } from "./schedule.ts";

const BASE = "https://canvas.example.edu";

describe("Canvas Link header", () => {
  it("finds rel=next among the other relations, and null on the last page", () => {
    const header =
      `<${BASE}/api/v1/courses/1/users?page=2&per_page=100>; rel="current",` +
      `<${BASE}/api/v1/courses/1/users?page=3&per_page=100>; rel="next",` +
      `<${BASE}/api/v1/courses/1/users?page=1&per_page=100>; rel="first",` +
      `<${BASE}/api/v1/courses/1/users?page=3&per_page=100>; rel="last"`;
    expect(nextPageUrl(header, BASE)).toBe(`${BASE}/api/v1/courses/1/users?page=3&per_page=100`);
    expect(nextPageUrl(`<${BASE}/x?page=1>; rel="first", <${BASE}/x?page=1>; rel="last"`, BASE)).toBeNull();
    expect(nextPageUrl(null, BASE)).toBeNull();
  });

  it("refuses a next link to another host or scheme, and an oversized header", () => {
    expect(() => nextPageUrl(`<https://evil.example/steal>; rel="next"`, BASE)).toThrow(/another host \(evil\.example\)/);
    expect(() => nextPageUrl(`<http://canvas.example.edu/x>; rel="next"`, BASE)).toThrow(LmsError);
    expect(() => nextPageUrl(`<${BASE}/x>; rel="next",`.repeat(1000), BASE)).toThrow(/longer than/);
  });

  it("builds the documented first page URL under a base URL with a path", () => {
    const url = new URL(canvasFirstPageUrl("https://lms.example.edu/canvas", "sis_course_id:CS 101"));
    expect(url.pathname).toBe("/canvas/api/v1/courses/sis_course_id%3ACS%20101/users");
    expect(url.searchParams.getAll("enrollment_state[]")).toEqual(["completed"]);
    expect(url.searchParams.getAll("include[]")).toEqual(["email"]);
    expect(url.searchParams.get("per_page")).toBe("100");
  });
});

describe("Retry-After", () => {
  it("reads delta-seconds and HTTP dates, clamps to 1..300 s, falls back when unreadable", () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    expect(retryAfterSeconds("7", 30, now)).toBe(7);
    expect(retryAfterSeconds("0", 30, now)).toBe(1);
    expect(retryAfterSeconds("86400", 30, now)).toBe(300);
    expect(retryAfterSeconds("Sun, 29 Nov 2026 12:01:00 GMT", 30, now)).toBe(60);
    expect(retryAfterSeconds("soon", 30, now)).toBe(30);
    expect(retryAfterSeconds(null, 10, now)).toBe(10);
  });
});

describe("schedule", () => {
  it("accepts hourly, daily and every N minutes within 5-1440, nothing else", () => {
    expect(scheduleMinutes("hourly")).toBe(60);
    expect(scheduleMinutes("daily")).toBe(1440);
    expect(scheduleMinutes("every 15 minutes")).toBe(15);
    for (const bad of ["every 4 minutes", "every 1441 minutes", "weekly", "*/5 * * * *", "", "every minutes"]) expect(scheduleMinutes(bad)).toBeNull();
  });
});

describe("Pacer", () => {
  it("never has more than `concurrency` calls in flight", async () => {
    const pacer = new Pacer(1000, 2);
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        pacer.run(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, 5));
          active--;
        }),
      ),
    );
    expect(most).toBe(2);
  });
});
