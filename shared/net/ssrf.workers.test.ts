// The SSRF guard inside workerd (webhooks and integrations will call it from the origin Worker).
import { expect, it } from "vitest";
import { checkOutboundUrl, checkResolvedAddress, classifyAddress } from "./ssrf.ts";
import { ADDRESS_CASES, RESOLVED_CASES, URL_CASES } from "./ssrf.cases.ts";

it("classifies every address of the table as in Node", () => {
  const got = ADDRESS_CASES.map(([address]) => [address, classifyAddress(address)]);
  expect(got).toEqual(ADDRESS_CASES);
});

it("accepts and refuses every URL of the table as in Node", () => {
  for (const [url, policy, expected] of URL_CASES) {
    const check = checkOutboundUrl(url, policy);
    if (expected.startsWith("ok")) expect(check, url).toMatchObject({ ok: true, loopback: expected === "ok-loopback" });
    else expect(check.ok ? "" : check.reason, url).toContain(expected);
  }
});

it("checks resolved addresses as in Node", () => {
  for (const [address, loopback, expected] of RESOLVED_CASES) {
    const reason = checkResolvedAddress(address, loopback);
    if (expected === null) expect(reason, address).toBeNull();
    else expect(reason, address).toContain(expected);
  }
});
