// Table of SSRF-guard cases, run in Node (ssrf.test.ts) and inside workerd (ssrf.workers.test.ts).
import type { AddressKind, OutboundPolicy } from "./ssrf.ts";

/** [address, expected kind] for classifyAddress. */
export const ADDRESS_CASES: [string, AddressKind | null][] = [
  // IPv4
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["10.0.0.1", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.1", "public"],
  ["192.168.1.1", "private"],
  ["169.254.1.1", "link_local"],
  ["169.254.169.254", "metadata"],
  ["169.254.170.2", "metadata"],
  ["100.64.0.1", "cgnat"],
  ["100.127.255.255", "cgnat"],
  ["100.100.100.200", "metadata"],
  ["100.128.0.1", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["255.255.255.255", "reserved"],
  ["240.0.0.1", "reserved"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"],
  ["198.18.0.1", "reserved"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  // IPv6
  ["2606:4700:4700::1111", "public"],
  ["2a00:1450:4001:81b::200e", "public"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::", "unspecified"],
  ["fe80::1", "link_local"],
  ["fe80::1%eth0", "link_local"],
  ["fc00::1", "private"],
  ["fd12:3456:789a::1", "private"],
  ["fd00:ec2::254", "metadata"],
  ["fec0::1", "private"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "reserved"],
  ["2002:7f00:1::1", "reserved"], // 6to4
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"], // Teredo
  ["100::1", "reserved"], // discard-only
  ["4000::1", "reserved"], // outside 2000::/3
  // IPv4-mapped and translated forms carry the IPv4 address's kind
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["[::ffff:10.0.0.1]", "private"],
  ["::ffff:169.254.169.254", "metadata"],
  ["::ffff:8.8.8.8", "public"],
  ["64:ff9b::a9fe:a9fe", "metadata"],
  ["64:ff9b::808:808", "public"],
  ["::ffff:0:a00:1", "private"], // SIIT (RFC 6145)
  // not addresses
  ["example.com", null],
  ["localhost", null],
  ["", null],
  ["1.2.3.4.5", null],
  ["::ffff::1", null],
];

const CLI: OutboundPolicy = { allowLoopback: true, allowIpLiterals: true };
const STRICT: OutboundPolicy = {};

/** [url, policy, expected: "ok" (loopback false), "ok-loopback", or a fragment of the refusal reason]. */
export const URL_CASES: [string, OutboundPolicy, string][] = [
  // what webhooks and integrations get (the default policy)
  ["https://hooks.example.com/laurel", STRICT, "ok"],
  ["https://hooks.example.com.:8443/x", STRICT, "ok"],
  ["http://hooks.example.com/laurel", STRICT, "https only"],
  ["ftp://hooks.example.com/", STRICT, "scheme ftp:"],
  ["file:///etc/passwd", STRICT, "scheme file:"],
  ["javascript:alert(1)", STRICT, "scheme javascript:"],
  ["not a url", STRICT, "not an absolute URL"],
  ["https://user:pw@hooks.example.com/", STRICT, "credentials"],
  ["https://8.8.8.8/", STRICT, "a name is required"],
  ["https://[2606:4700:4700::1111]/", STRICT, "a name is required"],
  ["https://localhost/", STRICT, "loopback"],
  ["https://localhost./", STRICT, "loopback"],
  ["https://api.localhost/", STRICT, "loopback"],
  ["https://127.0.0.1/", STRICT, "loopback"],
  ["https://127.1/", STRICT, "loopback"], // the URL parser normalises short and hex forms
  ["https://0x7f000001/", STRICT, "loopback"],
  ["https://2130706433/", STRICT, "loopback"],
  ["https://[::1]/", STRICT, "loopback"],
  ["https://[::ffff:127.0.0.1]/", STRICT, "loopback"],
  ["https://10.1.2.3/", STRICT, "private"],
  ["https://[fd00::1]/", STRICT, "private"],
  ["https://169.254.169.254/latest/meta-data/", STRICT, "cloud metadata"],
  ["https://[::ffff:169.254.169.254]/", STRICT, "cloud metadata"],
  ["https://[fe80::1]/", STRICT, "link-local"],
  ["https://100.64.1.1/", STRICT, "carrier-grade NAT"],
  ["https://224.0.0.1/", STRICT, "multicast"],
  ["https://0.0.0.0/", STRICT, "unspecified"],
  ["https://intranet/", STRICT, "single-label"],
  ["https://printer.local/", STRICT, "local-only domain local"],
  ["https://metadata.google.internal/", STRICT, "local-only domain internal"],
  ["https://nas.home.arpa/", STRICT, "local-only domain home.arpa"],
  // what the CLI gets: loopback (the local stack) and public IP literals too
  ["http://127.0.0.1:8787/issuers/acme/did.json", CLI, "ok-loopback"],
  ["http://localhost:8787/status/1", CLI, "ok-loopback"],
  ["https://[::1]:8443/", CLI, "ok-loopback"],
  ["https://8.8.8.8/", CLI, "ok"],
  ["http://8.8.8.8/", CLI, "https only"],
  ["http://badges.example.org/", CLI, "https only"],
  ["https://192.168.0.10/", CLI, "private"],
  ["https://169.254.169.254/", CLI, "cloud metadata"],
  ["https://[fd00:ec2::254]/", CLI, "cloud metadata"],
];

/** [resolved address, the URL's host is loopback, expected: null (allowed) or a fragment of the reason]. */
export const RESOLVED_CASES: [string, boolean, string | null][] = [
  ["93.184.216.34", false, null],
  ["2606:2800:220:1:248:1893:25c8:1946", false, null],
  ["127.0.0.1", false, "loopback"], // a public name resolving to loopback (DNS rebinding)
  ["10.0.0.5", false, "private"],
  ["::ffff:10.0.0.5", false, "private"],
  ["169.254.169.254", false, "cloud metadata"],
  ["fe80::1%lo", false, "link-local"],
  ["127.0.0.1", true, null],
  ["::1", true, null],
  ["8.8.8.8", true, "a loopback name resolved to"],
  ["not-an-ip", false, "not an IP address"],
];
