// The two rate-limit layers: the in-isolate token bucket (exact, refills over time) and the Workers
// Rate Limiting binding, which miniflare enforces locally too.
import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/http/problem.ts";
import { testEnv } from "../test/fixtures.ts";
import { clientOfAddress, takeOriginReadToken, takeVerifyToken } from "./rate-limit.ts";

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

  it("keys IPv4 clients by address and IPv6 clients by /64, whatever the spelling", () => {
    expect(clientOfAddress("198.51.100.7")).toBe("198.51.100.7");
    expect(clientOfAddress("::ffff:198.51.100.7")).toBe("198.51.100.7");
    const one = clientOfAddress("2001:db8:0:42::1");
    expect(one).toBe("2001:db8:0:42::/64");
    expect(clientOfAddress("2001:0DB8:0000:0042:abcd:1:2:3")).toBe(one);
    expect(clientOfAddress("2001:db8::42:0:0:0:9")).toBe("2001:db8:0:42::/64");
    expect(clientOfAddress("2001:db8:0:43::1")).not.toBe(one);
    expect(clientOfAddress("::1")).toBe("0:0:0:0::/64");
  });

  it("limits origin read-throughs per client with their own budget, separate from verify's", () => {
    const env = { ...testEnv, ORIGIN_READ_RATE_LIMIT: "2/60" };
    const t0 = 2_000_000;
    const client = `reader-${crypto.randomUUID()}`;
    takeOriginReadToken(env, client, t0);
    takeOriginReadToken(env, client, t0);
    const denied = (() => {
      try {
        takeOriginReadToken(env, client, t0);
      } catch (error) {
        return error;
      }
    })();
    expect(denied).toBeInstanceOf(AppError);
    expect((denied as AppError).headers?.["retry-after"]).toBe("30");
    expect(() => takeOriginReadToken(env, `other-${client}`, t0)).not.toThrow();
    expect(() => takeOriginReadToken(env, client, t0 + 30_000)).not.toThrow();
  });
});
