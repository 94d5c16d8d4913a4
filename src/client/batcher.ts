// A bounded queue that sends its items in batches in the background: a batch leaves when it is
// full (maxBatch) or when the oldest item has waited flushIntervalMs. One batch is in flight at a
// time. A batch whose send fails (after the transport's own retries) goes back to the head of the
// queue and is tried again at the next tick, so nothing is lost while there is room; when the queue
// is full the declared overflow policy decides:
//   'block'       add() waits until there is room (back-pressure; the default)
//   'reject'      add() throws QueueFullError; the caller decides
//   'drop-oldest' the oldest queued items are dropped (counted in stats, reported to onDrop)
// Generic over the item, so connectors and the staff-tool middleware reuse it (events.ts wires it
// to POST /v1/events).
import { QueueFullError } from './errors.ts';

export type OverflowPolicy = 'block' | 'reject' | 'drop-oldest';

export interface BatcherOptions<T> {
  send: (batch: T[]) => Promise<void>;
  maxBatch?: number;
  flushIntervalMs?: number;
  maxQueue?: number;
  overflow?: OverflowPolicy;
  /** A batch could not be sent (it stays queued and is retried). */
  onError?: (error: unknown, batchSize: number) => void;
  onDrop?: (dropped: number) => void;
}

export interface BatcherStats {
  queued: number;
  sent: number;
  dropped: number;
  failedSends: number;
}

export class Batcher<T> {
  private queue: T[] = [];
  private inFlight: Promise<void> | null = null;
  /** Items of the batch in flight: they count against maxQueue until sent. */
  private flying = 0;
  private timer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly o: Required<Omit<BatcherOptions<T>, 'onError' | 'onDrop'>> & Pick<BatcherOptions<T>, 'onError' | 'onDrop'>;
  readonly stats: BatcherStats = { queued: 0, sent: 0, dropped: 0, failedSends: 0 };

  constructor(opts: BatcherOptions<T>) {
    this.o = { maxBatch: 500, flushIntervalMs: 1000, maxQueue: 100_000, overflow: 'block', ...opts };
    if (this.o.maxBatch < 1 || this.o.maxQueue < this.o.maxBatch) throw new Error('Batcher: need 1 <= maxBatch <= maxQueue');
  }

  /** Queue items; resolves once they are queued (not sent: see flush()). */
  async add(...items: T[]): Promise<void> {
    if (this.closed) throw new Error('Batcher is closed');
    for (const item of items) {
      while (this.queue.length + this.flying >= this.o.maxQueue) {
        if (this.o.overflow === 'reject') throw new QueueFullError(`The event queue is full (${this.o.maxQueue}); fanzha is slow or unreachable.`);
        if (this.o.overflow === 'drop-oldest' && this.queue.length) {
          this.queue.shift();
          this.stats.dropped++;
          this.o.onDrop?.(1);
          continue;
        }
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
      this.queue.push(item);
    }
    this.stats.queued = this.queue.length;
    if (this.queue.length >= this.o.maxBatch) this.kick();
    else this.arm();
  }

  /** Items waiting (including a batch in flight). */
  get size() {
    return this.queue.length + this.flying;
  }

  /** Send everything queued now; resolves when the queue is empty or a send failed. */
  async flush(): Promise<void> {
    while (this.queue.length) {
      const before = this.stats.failedSends;
      await this.kick();
      if (this.stats.failedSends > before) throw new Error('Batcher: a batch could not be sent; it stays queued');
    }
    await this.inFlight;
  }

  /** Flush and stop the timer; items left after a failed flush are returned. */
  async close(): Promise<T[]> {
    this.closed = true;
    try {
      await this.flush();
    } catch {
      // the caller gets what is left
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const left = this.queue;
    this.queue = [];
    return left;
  }

  private arm() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.kick();
    }, this.o.flushIntervalMs);
    this.timer.unref?.();
  }

  private kick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.queue.length) return Promise.resolve();
    const batch = this.queue.splice(0, this.o.maxBatch);
    this.flying = batch.length;
    this.inFlight = this.o
      .send(batch)
      .then(() => {
        this.stats.sent += batch.length;
      })
      .catch((e) => {
        this.stats.failedSends++;
        this.queue.unshift(...batch);
        this.o.onError?.(e, batch.length);
      })
      .finally(() => {
        this.inFlight = null;
        this.flying = 0;
        this.stats.queued = this.queue.length;
        for (const w of this.waiters.splice(0)) w();
        if (this.queue.length >= this.o.maxBatch && this.stats.failedSends === 0) void this.kick();
        else if (this.queue.length) this.arm();
      });
    return this.inFlight;
  }
}
