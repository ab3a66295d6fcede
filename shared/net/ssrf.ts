// Outbound-request guard against SSRF: which URLs and addresses a server-side or CLI fetch may
// reach. Pure functions (no DNS, no I/O), so they run in workerd, Node and browsers alike; a caller
// that resolves names itself (the CLI, with node:dns) checks every resolved address with
// `checkResolvedAddress`. Address ranges come from ipaddr.js (IANA special-purpose registries,
// RFC 6890); the few extra rules here are the ones it does not cover.

import ipaddr from "ipaddr.js";

/** What an IP address is, for the purpose of "may we connect to it" (RFC 6890 families). */
export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "multicast"
  | "metadata"
  | "unspecified"
  | "reserved";

/** What an outbound fetch may reach. The defaults are the strictest (webhooks, LMS integrations). */
export interface OutboundPolicy {
  /** Loopback hosts (`localhost`, 127.0.0.0/8, ::1), over http or https: the CLI checking a local stack. */
  allowLoopback?: boolean;
  /** Public IP literals as hosts (`https://203.0.113.7/`); names only otherwise. */
  allowIpLiterals?: boolean;
}

/** A URL the policy accepts: `loopback` tells resolved addresses must be loopback, else public. */
export type OutboundCheck = { ok: true; url: URL; loopback: boolean } | { ok: false; reason: string };

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, OpenStack; Alibaba; AWS over IPv6). */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"]);

/** Special-use names that never denote a public host (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const LOCAL_SUFFIXES = [".local", ".internal", ".home.arpa", ".localdomain", ".invalid"];

/** IPv6 global unicast (RFC 4291 §2.4): everything outside 2000::/3 is not a public host. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

const V4_KINDS: Record<string, AddressKind> = {
  unicast: "public",
  loopback: "loopback",
  private: "private",
  linkLocal: "link_local",
  carrierGradeNat: "cgnat",
  multicast: "multicast",
  unspecified: "unspecified",
};

const V6_KINDS: Record<string, AddressKind> = {
  loopback: "loopback",
  uniqueLocal: "private",
  deprecatedSiteLocal: "private",
  linkLocal: "link_local",
  multicast: "multicast",
  unspecified: "unspecified",
};

/**
 * Classifies an IP address (v4 dotted, or v6 with or without brackets or zone id); null when
 * `address` is not an IP address. IPv4-mapped and -translated IPv6 forms (::ffff:a.b.c.d,
 * 64:ff9b::/96) are classified by the IPv4 address they carry.
 */
export function classifyAddress(address: string): AddressKind | null {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return null;
  const parsed = ipaddr.parse(bare);
  const canonical = parsed.toString().replace(/%.*$/, "");
  if (METADATA_ADDRESSES.has(canonical)) return "metadata";
  if (parsed.kind() === "ipv4") return V4_KINDS[parsed.range()] ?? "reserved";
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range === "ipv4Mapped") return classifyAddress(v6.toIPv4Address().toString());
  if (range === "rfc6052" || range === "rfc6145") {
    // NAT64 / SIIT: the last 32 bits are the IPv4 address a translator would connect to.
    const p = v6.parts;
    return classifyAddress(`${p[6]! >> 8}.${p[6]! & 255}.${p[7]! >> 8}.${p[7]! & 255}`);
  }
  if (range in V6_KINDS) return V6_KINDS[range]!;
  if (range === "unicast" && v6.match(GLOBAL_UNICAST_V6)) return "public";
  return "reserved";
}

/** Why a resolved address may not be connected to under `loopback` (see OutboundCheck), or null when it may. */
export function checkResolvedAddress(address: string, loopback: boolean): string | null {
  const kind = classifyAddress(address);
  if (kind === null) return `${address} is not an IP address`;
  if (loopback) return kind === "loopback" ? null : `a loopback name resolved to ${address}, a ${kindLabel(kind)} address`;
  return kind === "public" ? null : `resolves to ${address}, a ${kindLabel(kind)} address`;
}

function kindLabel(kind: AddressKind): string {
  return kind.replace("_", "-").replace("cgnat", "carrier-grade NAT").replace("metadata", "cloud metadata");
}

function isLoopbackName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

/**
 * Checks a URL before any outbound request: https only (http only to loopback when the policy
 * allows loopback), no userinfo, and a host that is a public IP literal (when allowed) or a
 * dotted name outside the special-use domains. Names still need `checkResolvedAddress` on every
 * address they resolve to, at connect time (DNS rebinding).
 */
export function checkOutboundUrl(input: string | URL, policy: OutboundPolicy = {}): OutboundCheck {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: "not an absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `scheme ${url.protocol} is not allowed (https only)` };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  const host = url.hostname.replace(/\.$/, "");
  const literal = classifyAddress(host);
  const loopback = literal === "loopback" || (literal === null && isLoopbackName(host));
  if (loopback) {
    return policy.allowLoopback ? { ok: true, url, loopback } : { ok: false, reason: `host ${host} is a loopback address` };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "http is allowed only to loopback hosts (https only)" };
  if (literal !== null) {
    if (literal !== "public") return { ok: false, reason: `host ${host} is a ${kindLabel(literal)} address` };
    return policy.allowIpLiterals ? { ok: true, url, loopback } : { ok: false, reason: `host ${host} is an IP address (a name is required)` };
  }
  if (!host.includes(".")) return { ok: false, reason: `host ${host} is a single-label name` };
  const suffix = LOCAL_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix) return { ok: false, reason: `host ${host} is in the local-only domain ${suffix.slice(1)}` };
  return { ok: true, url, loopback };
}
