import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./logger.ts";

afterEach(() => vi.restoreAllMocks());

describe("logged errors", () => {
  it("keep the driver's code and the cause chain (drizzle wraps database errors as 'Failed query')", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const driver = Object.assign(new Error("SQLite error: database is locked"), { name: "LibsqlError", code: "SQLITE_BUSY" });
    const wrapped = new Error("Failed query: insert into credentials ...", { cause: driver });
    createLogger({ service: "test" }).error("unhandled error", { error: wrapped });
    const logged = JSON.parse(lines[0]!) as { error: Record<string, any> };
    expect(logged.error.message).toBe("Failed query: insert into credentials ...");
    expect(logged.error.cause).toMatchObject({ name: "LibsqlError", message: "SQLite error: database is locked", code: "SQLITE_BUSY" });
  });
});

describe("logged database errors", () => {
  it("carry the statement's shape but never its bound parameters (drizzle's DrizzleQueryError lists them)", async () => {
    const { DrizzleQueryError } = await import("drizzle-orm/errors");
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const params = ["ada@example.edu", "eyJhbGciOiJFUzI1NiJ9.payload.sig", "revoked for cheating\n    at fake (frame)"];
    const error = new DrizzleQueryError('update "credentials" set "revocation_reason" = ? where "id" = ?', params, new Error("timed out"));
    createLogger({ service: "test" }).error("unhandled error", { error });
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!) as { error: { message: string; stack: string } };
    expect(logged.error.message).toBe('Failed query: update "credentials" set "revocation_reason" = ? where "id" = ?\nparams: [redacted]');
    for (const secret of ["ada@example.edu", "eyJhbGciOiJFUzI1NiJ9", "cheating"]) expect(lines[0]).not.toContain(secret);
    expect(logged.error.stack).toContain("params: [redacted]");
  });
});
