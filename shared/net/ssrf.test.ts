// The SSRF guard's table (ssrf.cases.ts), in Node; ssrf.workers.test.ts runs the same table in workerd.
import { describe, expect, it } from "vitest";
import { checkOutboundUrl, checkResolvedAddress, classifyAddress } from "./ssrf.ts";
import { ADDRESS_CASES, RESOLVED_CASES, URL_CASES } from "./ssrf.cases.ts";

describe("classifyAddress", () => {
  it.each(ADDRESS_CASES)("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe("checkOutboundUrl", () => {
  it.each(URL_CASES)("%s with %j: %s", (url, policy, expected) => {
    const check = checkOutboundUrl(url, policy);
    if (expected.startsWith("ok")) {
      expect(check).toMatchObject({ ok: true, loopback: expected === "ok-loopback" });
    } else {
      expect(check.ok).toBe(false);
      expect(check.ok ? "" : check.reason).toContain(expected);
    }
  });
});

describe("checkResolvedAddress", () => {
  it.each(RESOLVED_CASES)("%s (loopback host: %s): %s", (address, loopback, expected) => {
    const reason = checkResolvedAddress(address, loopback);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toContain(expected);
  });
});
