import { describe, expect, it } from "vitest";
import { mediaTypeOf, readBodyCapped } from "./body.ts";
import { AppError } from "./problem.ts";

/** A POST whose body arrives in the given chunks, without a Content-Length. */
function chunked(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("https://x.test/", { method: "POST", body, duplex: "half" } as RequestInit);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("mediaTypeOf", () => {
  it("is the lower-cased type without parameters, empty when absent", () => {
    expect(mediaTypeOf("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mediaTypeOf("  text/csv  ")).toBe("text/csv");
    expect(mediaTypeOf(null)).toBe("");
    expect(mediaTypeOf(undefined)).toBe("");
  });
});

describe("readBodyCapped", () => {
  it("returns a body within the limit byte for byte", async () => {
    const request = new Request("https://x.test/", { method: "POST", body: "hello" });
    expect(new TextDecoder().decode(await readBodyCapped(request, 5))).toBe("hello");
    expect((await readBodyCapped(new Request("https://x.test/"), 5)).byteLength).toBe(0);
  });

  it("refuses a declared Content-Length over the limit, or one that is not a number, with 413 PAYLOAD_TOO_LARGE", async () => {
    for (const length of ["6", "abc", "-1"]) {
      const request = new Request("https://x.test/", { method: "POST", body: "hello", headers: { "content-length": length } });
      const error = await refusal(readBodyCapped(request, 5));
      expect(error.status, length).toBe(413);
      expect(error.code, length).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  it("cuts off a body without Content-Length as soon as it passes the limit", async () => {
    const error = await refusal(readBodyCapped(chunked([new Uint8Array(4), new Uint8Array(4)]), 5));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toContain("5 bytes");
    expect((await readBodyCapped(chunked([new Uint8Array(2), new Uint8Array(3)]), 5)).byteLength).toBe(5);
  });
});
