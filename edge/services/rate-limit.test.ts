// The two rate-limit layers: the in-isolate token bucket (exact, refills over time) and the Workers
// Rate Limiting binding, which miniflare enforces locally too.
import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/http/problem.ts";
import { testEnv } from "../test/fixtures.ts";
import { takeVerifyToken } from "./rate-limit.ts";

describe("verify rate limits", () => {
  it("refills the bucket over time and names the wait in Retry-After", async () => {
    const env = { ...testEnv, VERIFY_RATE_LIMIT: "2/10", VERIFY_RATE_LIMITER: undefined };
    const t0 = 1_000_000;
    await takeVerifyToken(env, "c1", t0);
    await takeVerifyToken(env, "c1", t0);
    const denied = await takeVerifyToken(env, "c1", t0).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AppError);
    expect((denied as AppError).status).toBe(429);
    expect((denied as AppError).headers?.["retry-after"]).toBe("5");
    await expect(takeVerifyToken(env, "c1", t0 + 5_000)).resolves.toBeUndefined();
  });

  it("has a working Rate Limiting binding locally (limit 300 per 60 s per key)", async () => {
    const limiter = testEnv.VERIFY_RATE_LIMITER!;
    expect(limiter).toBeDefined();
    const key = `probe-${crypto.randomUUID()}`;
    let allowed = 0;
    for (let i = 0; i < 310; i++) if ((await limiter.limit({ key })).success) allowed++;
    expect(allowed).toBe(300);
  });
});
