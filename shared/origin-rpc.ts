// The RPC surface the origin offers the edge over a service binding (entrypoint `EdgeApi` of the
// origin Worker). It is not reachable from the internet: only Workers bound to it can call it.
import type { CertificateMetadata, CredentialProjection, IssuerProjection, StatusListProjection } from "./kv-keys.ts";
import type { TraceCarrier } from "./observability/trace-context.ts";

/**
 * Who is calling: the edge's span for this call (W3C Trace Context §3.2, as traceparent/tracestate
 * strings) and the id of the edge request it serves. RPC has no headers, so every EdgeApi method
 * takes it as an optional last argument: the origin's work then continues the edge's trace and
 * logs the same request id. Optional, so a caller that predates it still works (a new trace).
 */
export interface RpcCaller extends TraceCarrier {
  requestId?: string;
}

/** Most credential ids (rows) one `recordScans` (`recordCounts`) call may carry; the edge flushes in chunks of this size. */
export const MAX_SCAN_IDS_PER_CALL = 5_000;
/** Counts `recordScans` accepts per id and call are below this (larger ones are ignored). */
export const SCAN_COUNT_LIMIT = 1e9;

/** What the edge counts per credential and UTC day (edge/README.md "Analytics"). */
export const COUNTED_EVENTS = ["views", "verifications", "shares", "images", "embeds"] as const;
export type CountedEvent = (typeof COUNTED_EVENTS)[number];
/** A counted column: an event by people, or the same event by a self-announced bot (`bot_` prefix). */
export type CountColumn = CountedEvent | `bot_${CountedEvent}`;
/** Every column `recordCounts` takes. */
export const COUNT_COLUMNS: readonly CountColumn[] = [...COUNTED_EVENTS, ...COUNTED_EVENTS.map((e) => `bot_${e}` as const)];

/** One credential's counts on one UTC day (`YYYY-MM-DD`). */
export interface CountRow {
  credentialId: string;
  day: string;
  counts: Partial<Record<CountColumn, number>>;
}

/**
 * One flushed chunk of a ScanCounter shard. `flushId` (`<shard>:<epoch>:<sequence>`) names it: a
 * retry of the same chunk carries the same id and the origin applies it at most once.
 */
export interface CountFlush {
  flushId: string;
  rows: CountRow[];
}

/** What the edge may ask the origin when KV has nothing (yet) or when it flushes scan counts; each method's last argument is its RpcCaller. */
export interface EdgeApiRpc {
  /** Reads the credential from the database, refills its KV projection and returns it; null when unknown. */
  credentialProjection(id: string, caller?: RpcCaller): Promise<CredentialProjection | null>;
  /** As above for an issuer's DID document and JWKS. */
  issuerProjection(slug: string, caller?: RpcCaller): Promise<IssuerProjection | null>;
  /** As above for a status list credential. */
  statusListProjection(listId: string, caller?: RpcCaller): Promise<StatusListProjection | null>;
  /** Renders (and stores in KV) the credential's 1200×627 social card; null when unknown. */
  renderCard(id: string, caller?: RpcCaller): Promise<ArrayBuffer | null>;
  /**
   * Renders (and stores in KV with its metadata) the credential's certificate PDF as the database
   * has it now; null when unknown.
   */
  renderCertificate(id: string, caller?: RpcCaller): Promise<{ pdf: ArrayBuffer; metadata: CertificateMetadata } | null>;
  /**
   * Adds scan counts gathered at the edge (credential id → scans since the last flush); at most
   * MAX_SCAN_IDS_PER_CALL ids, each count a positive integer below SCAN_COUNT_LIMIT.
   */
  recordScans(counts: Record<string, number>, caller?: RpcCaller): Promise<void>;
  /**
   * Adds one flushed chunk of per-day counts (at most MAX_SCAN_IDS_PER_CALL rows, each count a
   * non-negative integer below SCAN_COUNT_LIMIT) together with its flush id, in one transaction:
   * `applied: false` when that flush id was applied before (a retry), nothing is added twice.
   */
  recordCounts(flush: CountFlush, caller?: RpcCaller): Promise<{ applied: boolean }>;
}
