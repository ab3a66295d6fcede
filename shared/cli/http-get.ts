// The CLI's only way to the network: GET with the SSRF guard (shared/net/ssrf.ts), a deadline,
// a streamed size cap and same-origin redirects only.
//
// Hand-written on node:http/https rather than fetch(): their `lookup` hook lets the guard check
// every address the name resolves to and connect to exactly those (no second resolution between
// check and connect, so DNS rebinding cannot slip in). Node's fetch (undici) offers that hook
// only through the undici package, which would more than double the standalone script.

import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { readStreamCapped } from "../bytes.ts";
import { checkOutboundUrl, checkResolvedAddress, type OutboundPolicy } from "../net/ssrf.ts";

/** GETs `url` and returns its body; throws an Error with a readable message on any refusal or failure. */
export type HttpGet = (url: string, accept: string) => Promise<Uint8Array>;

/** The CLI may verify against a local stack (http://127.0.0.1:8787) and public IP literals. */
export const CLI_POLICY: OutboundPolicy = { allowLoopback: true, allowIpLiterals: true };

export interface HttpGetLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Same-origin redirects followed; a redirect to another origin is refused. */
  maxRedirects: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request that fails unless every resolved address passes the guard. */
export function guardedLookup(loopback: boolean) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const { address } of addresses) {
        const refusal = checkResolvedAddress(address, loopback);
        if (refusal) return callback(Object.assign(new Error(`host ${hostname} ${refusal}`), { code: "ERR_LAUREL_REFUSED" }), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function get(url: URL, accept: string, loopback: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: "GET",
      headers: { accept, "user-agent": "laurel-verify" },
      lookup: guardedLookup(loopback) as never,
      agent: false,
      signal,
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end();
  });
}

/** An HttpGet under `limits`, guarded by `policy`. */
export function createHttpGet(limits: HttpGetLimits, policy: OutboundPolicy = CLI_POLICY): HttpGet {
  return async (input, accept) => {
    const signal = AbortSignal.timeout(limits.timeoutMs);
    let target = input;
    for (let hop = 0; ; hop++) {
      const check = checkOutboundUrl(target, policy);
      if (!check.ok) throw new Error(`refusing to fetch ${target}: ${check.reason}`);
      let res: IncomingMessage;
      try {
        res = await get(check.url, accept, check.loopback, signal);
      } catch (e) {
        const why = signal.aborted ? `no answer within ${limits.timeoutMs / 1000} s` : e instanceof Error ? e.message : String(e);
        throw new Error(`GET ${target} failed: ${why}`);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.destroy();
        const next = new URL(location, check.url);
        if (next.origin !== check.url.origin) throw new Error(`GET ${target} redirects to another origin (${next.origin}); not followed`);
        if (hop >= limits.maxRedirects) throw new Error(`GET ${input}: more than ${limits.maxRedirects} redirects`);
        target = next.toString();
        continue;
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw new Error(`GET ${target} answered ${status}`);
      }
      const declared = Number(res.headers["content-length"] ?? 0);
      const tooLarge = () => new Error(`GET ${target}: response larger than ${limits.maxBytes} bytes`);
      if (declared > limits.maxBytes) {
        res.destroy();
        throw tooLarge();
      }
      try {
        return await readStreamCapped(Readable.toWeb(res) as ReadableStream<Uint8Array>, limits.maxBytes, tooLarge);
      } catch (e) {
        if (signal.aborted) throw new Error(`GET ${target} failed: no answer within ${limits.timeoutMs / 1000} s`);
        throw e;
      }
    }
  };
}
