// Records each request and queue job so that the figures survive isolates: one Analytics Engine
// data point per piece of work (production's store, queried with its SQL API), and a per-isolate
// buffer, pre-aggregated per minute and series, flushed to the stack-wide aggregator (a Durable
// Object) at most every `flushEveryMs` or when `flushAtPoints` points are waiting. Flushing runs in
// waitUntil, off the answer's path; while the aggregator is slow or unreachable the buffer keeps
// aggregating up to `maxSeries` series and drops points beyond (counted), never queueing without bound.
import {
  bucketIndex,
  HISTOGRAM_CELLS,
  minuteOf,
  statusClass,
  type CounterCell,
  type DataPoint,
  type MetricsBatch,
  type SeriesCell,
} from "./metrics-points.ts";

/** The part of a Workers Analytics Engine dataset binding the recorder uses. */
export interface DataPointWriter {
  writeDataPoint(event: { blobs?: string[]; doubles?: number[]; indexes?: string[] }): void;
}

/** Where batches go: the aggregator Durable Object's RPC stub, or a stand-in in tests. */
export interface AggregatorSink {
  ingest(batch: MetricsBatch): Promise<unknown>;
}

/** What the recorder may use while handling one request or queue invocation. */
export interface RecordingIo {
  dataset?: DataPointWriter;
  aggregator?: AggregatorSink;
  waitUntil(promise: Promise<unknown>): void;
}

export interface RecorderOptions {
  flushEveryMs?: number;
  flushAtPoints?: number;
  maxSeries?: number;
  /** Deadline of one flush; a batch that misses it is dropped (figures, not state). */
  flushTimeoutMs?: number;
}

/**
 * The Analytics Engine data point of a piece of work. Blobs: service, kind, group, status class,
 * org id ("" when unknown); doubles: duration ms, 1 when it failed (5xx), status; index: the org id
 * (Analytics Engine samples per index), or the service when unknown.
 */
export function analyticsDataPoint(p: DataPoint): { blobs: string[]; doubles: number[]; indexes: string[] } {
  return {
    blobs: [p.service, p.kind, p.group, statusClass(p.status), p.orgId ?? ""],
    doubles: [p.durationMs, p.status >= 500 ? 1 : 0, p.status],
    indexes: [p.orgId ?? p.service],
  };
}

/** The recorder of one service in one isolate (a module-level singleton per Worker). */
export class MetricsRecorder {
  readonly service: string;
  private readonly flushEveryMs: number;
  private readonly flushAtPoints: number;
  private readonly maxSeries: number;
  private readonly flushTimeoutMs: number;
  private series = new Map<string, SeriesCell>();
  private counters = new Map<string, CounterCell>();
  private points = 0;
  private dropped = 0;
  private flushScheduled = false;
  private flushing = false;

  constructor(service: string, options: RecorderOptions = {}) {
    this.service = service;
    this.flushEveryMs = options.flushEveryMs ?? 1000;
    this.flushAtPoints = options.flushAtPoints ?? 500;
    this.maxSeries = options.maxSeries ?? 2000;
    this.flushTimeoutMs = options.flushTimeoutMs ?? 2000;
  }

  /** Records one piece of work: writes its data point and buffers it for the aggregator. */
  record(point: Omit<DataPoint, "service">, io: RecordingIo): void {
    const p: DataPoint = { ...point, service: this.service };
    try {
      io.dataset?.writeDataPoint(analyticsDataPoint(p));
    } catch {
      // Analytics must never fail the work it describes.
    }
    this.buffer(p);
    if (io.aggregator) this.scheduleFlush(io);
  }

  /** Adds to a named counter; it travels with the next flush. */
  count(name: string, by = 1, at = Date.now()): void {
    const minute = minuteOf(at);
    const key = `${minute}\u0000${name}`;
    const cell = this.counters.get(key);
    if (cell) cell.value += by;
    else if (this.counters.size < this.maxSeries) this.counters.set(key, { minute, service: this.service, name, value: by });
    else this.dropped++;
  }

  /** Sends what is buffered now (the /metrics route does, so its own isolate's latest figures count). */
  async flush(sink: AggregatorSink): Promise<boolean> {
    if (this.series.size === 0 && this.counters.size === 0 && this.dropped === 0) return true;
    const batch: MetricsBatch = { series: [...this.series.values()], counters: [...this.counters.values()], dropped: this.dropped };
    this.series = new Map();
    this.counters = new Map();
    this.points = 0;
    this.dropped = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("metrics flush deadline")), this.flushTimeoutMs);
    });
    try {
      await Promise.race([sink.ingest(batch), deadline]);
      return true;
    } catch {
      // The aggregator is unreachable: this batch is lost (the Analytics Engine points are not).
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private buffer(p: DataPoint): void {
    const cls = statusClass(p.status);
    const minute = minuteOf(p.at ?? Date.now());
    const key = `${minute}\u0000${p.kind}\u0000${p.group}\u0000${cls}`;
    let cell = this.series.get(key);
    if (!cell) {
      if (this.series.size >= this.maxSeries) {
        this.dropped++;
        return;
      }
      cell = { minute, service: p.service, kind: p.kind, group: p.group, statusClass: cls, count: 0, errors: 0, sumMs: 0, histogram: new Array<number>(HISTOGRAM_CELLS).fill(0) };
      this.series.set(key, cell);
    }
    cell.count++;
    if (p.status >= 500) cell.errors++;
    cell.sumMs += p.durationMs;
    cell.histogram[bucketIndex(p.durationMs)]!++;
    this.points++;
  }

  private scheduleFlush(io: RecordingIo): void {
    const sink = io.aggregator!;
    if (this.points >= this.flushAtPoints && !this.flushing) {
      io.waitUntil(this.flushOnce(sink));
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // The request that opened the window keeps its waitUntil open for it, so points recorded by
    // later requests of the same isolate leave within about a second even if traffic stops.
    io.waitUntil(
      new Promise((resolve) => setTimeout(resolve, this.flushEveryMs)).then(() => {
        this.flushScheduled = false;
        return this.flushOnce(sink);
      }),
    );
  }

  private async flushOnce(sink: AggregatorSink): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.flush(sink);
    } finally {
      this.flushing = false;
    }
  }
}
