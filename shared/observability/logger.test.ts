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
