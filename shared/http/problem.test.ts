import { describe, expect, it } from "vitest";
import { PROBLEM_CODES, PROBLEMS, problemCodesOf } from "./problem-codes.ts";
import { AppError, problemBody, problemFromError, problemResponse } from "./problem.ts";

describe("problem code registry", () => {
  it("holds UPPER_SNAKE codes with an error status and a title", () => {
    for (const code of PROBLEM_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(PROBLEMS[code].status, code).toBeGreaterThanOrEqual(400);
      expect(PROBLEMS[code].status, code).toBeLessThan(600);
      expect(PROBLEMS[code].title.length, code).toBeGreaterThan(0);
    }
  });

  it("has one code for a body over the limit, PAYLOAD_TOO_LARGE, on both Workers", () => {
    expect(PROBLEMS.PAYLOAD_TOO_LARGE).toMatchObject({ status: 413, worker: "both" });
    expect(PROBLEM_CODES).not.toContain("BODY_TOO_LARGE");
    expect(problemCodesOf("edge")).toContain("PAYLOAD_TOO_LARGE");
    expect(problemCodesOf("origin")).toContain("PAYLOAD_TOO_LARGE");
    expect(problemCodesOf("origin")).not.toContain("CREDENTIAL_NOT_FOUND");
    expect(problemCodesOf("edge")).not.toContain("VALIDATION_FAILED");
  });

  it("lets the compiler refuse a status the registry does not give the code, and an unknown code", () => {
    // @ts-expect-error VALIDATION_FAILED is registered as 400
    expect(new AppError(404, "VALIDATION_FAILED", "x").status).toBe(400);
    // @ts-expect-error not a registered code
    expect(() => problemBody(400, "NO_SUCH_CODE", "x", "r")).toThrow();
  });
});

describe("problem answers", () => {
  it("take status, title and type from the code", async () => {
    const res = problemResponse(409, "SLUG_TAKEN", "An org with slug \"a\" already exists.", "req-1", { headers: { "retry-after": "1" } });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req-1");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toEqual({
      type: "https://laurel.dev/problems/slug-taken",
      title: "Slug taken",
      status: 409,
      detail: 'An org with slug "a" already exists.',
      code: "SLUG_TAKEN",
      requestId: "req-1",
    });
  });

  it("keep an AppError's code, field errors and headers, and hide the detail of a 5xx", async () => {
    const invalid = new AppError(400, "VALIDATION_FAILED", "bad", { errors: [{ field: "name", rule: "required" }], headers: { "x-a": "b" } });
    const res = problemFromError(invalid, "req-2");
    expect(res.status).toBe(400);
    expect(res.headers.get("x-a")).toBe("b");
    expect(await res.json()).toMatchObject({ code: "VALIDATION_FAILED", title: "Validation failed", errors: [{ field: "name", rule: "required" }] });

    const unavailable = await problemFromError(new AppError(503, "QUEUE_UNAVAILABLE", "queue binding threw: secret"), "req-3").json();
    expect(unavailable).toMatchObject({ status: 503, code: "QUEUE_UNAVAILABLE" });
    expect(JSON.stringify(unavailable)).not.toContain("secret");

    const crash = problemFromError(new Error("db password wrong"), "req-4");
    expect(crash.status).toBe(500);
    const body = await crash.json();
    expect(body).toMatchObject({ code: "INTERNAL_ERROR", title: "Internal error" });
    expect(JSON.stringify(body)).not.toContain("password");
  });
});
