// The core of the staff-tool middleware, shared by the Express, Fastify and Koa adapters: for a
// request that matches a declared rule and succeeded, one data.accessed event with the signed-in
// staff principal is queued in memory (a regex match and an object push: the request never waits
// on fanzha) and sent in batches in the background (Batcher). While fanzha is unreachable, batches
// go to a disk buffer (disk-buffer.ts), replayed when it answers again. The declared policy says
// what happens once the buffer is full:
//   'fail-open'   requests go on; reads are no longer recorded (counted in stats.dropped)
//   'fail-closed' requests matching a rule are refused with 503 until the buffer drains
import { randomUUID } from 'node:crypto';
import { Batcher } from '../batcher.ts';
import { sendEvents } from '../events.ts';
import { Transport, type TransportOptions } from '../http.ts';
import type { FanzhaEvent } from '../types.ts';
import { compileRules, idOf, matchRule, type AccessMatch, type AccessRule, type CompiledRule } from './access-rules.ts';
import { DiskBuffer } from './disk-buffer.ts';

export type UnreachablePolicy = 'fail-open' | 'fail-closed';

export interface AccessRecorderOptions {
  /** fanzha's address and an `ingest` key. */
  fanzha: TransportOptions;
  rules: readonly AccessRule[];
  /** Where batches wait while fanzha is unreachable (NDJSON, mode 0600). */
  bufferFile: string;
  /** Bytes the buffer may hold (default 64 MiB). */
  maxBufferBytes?: number;
  /** What to do when the buffer is full (see the header comment). */
  whenFull: UnreachablePolicy;
  maxBatch?: number;
  flushIntervalMs?: number;
  /** How often the buffer is replayed while it holds events (default 5 s). */
  replayIntervalMs?: number;
  channel?: 'console' | 'api' | 'export' | 'batch';
  onError?: (error: unknown) => void;
}

export interface RecorderStats {
  recorded: number;
  sent: number;
  buffered: number;
  replayed: number;
  dropped: number;
  refused: number;
}

export class AccessRecorder {
  readonly stats: RecorderStats = { recorded: 0, sent: 0, buffered: 0, replayed: 0, dropped: 0, refused: 0 };
  readonly buffer: DiskBuffer;
  private readonly rules: CompiledRule[];
  private readonly batcher: Batcher<FanzhaEvent>;
  private readonly transport: Transport;
  private replayTimer: NodeJS.Timeout | null = null;
  private readonly channel: NonNullable<AccessRecorderOptions['channel']>;

  constructor(private readonly o: AccessRecorderOptions) {
    this.rules = compileRules(o.rules);
    // the middleware's own retries are short: the disk buffer, not the request path, absorbs outages
    this.transport = new Transport({ retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000 }, timeoutMs: 10_000, ...o.fanzha });
    this.buffer = new DiskBuffer(o.bufferFile, o.maxBufferBytes ?? 64 * 1024 * 1024);
    this.channel = o.channel ?? 'console';
    this.batcher = new Batcher<FanzhaEvent>({
      maxBatch: o.maxBatch ?? 500,
      flushIntervalMs: o.flushIntervalMs ?? 1000,
      maxQueue: Math.max(10_000, o.maxBatch ?? 500),
      // the queue only fills if even the disk is slow; the declared policy then applies here too
      overflow: 'drop-oldest',
      onDrop: (n) => (this.stats.dropped += n),
      send: async (batch) => {
        // with events on disk, new ones queue behind them so fanzha sees them roughly in order
        if (this.buffer.size === 0) {
          try {
            await sendEvents(this.transport, batch);
            this.stats.sent += batch.length;
            return;
          } catch (e) {
            o.onError?.(e);
          }
        }
        const dropped = await this.buffer.append(batch);
        this.stats.buffered += batch.length - dropped;
        this.stats.dropped += dropped;
        this.armReplay();
      },
    });
  }

  /** The rule a request matches, or null: adapters call this first. */
  match(method: string, url: string): AccessMatch | null {
    return this.rules.length ? matchRule(this.rules, method, url) : null;
  }

  /** Under 'fail-closed', true while reads cannot be recorded: the adapter answers 503. */
  refuses(): boolean {
    if (this.o.whenFull !== 'fail-closed' || !this.buffer.full) return false;
    this.stats.refused++;
    return true;
  }

  /** Queue one read by `principalId` (synchronous; sending happens in the background). */
  record(match: AccessMatch, principalId: string | undefined, ip?: string) {
    if (!principalId) return;
    const customerId = idOf(match.rule.customerId, match.params);
    const orderId = idOf(match.rule.orderId, match.params);
    if (!customerId && !orderId) return;
    const event = {
      id: randomUUID(),
      type: 'data.accessed',
      at: new Date().toISOString(),
      principalId,
      fields: match.rule.fields,
      channel: this.channel,
      ...(customerId ? { customerId } : {}),
      ...(orderId ? { orderId } : {}),
      ...(match.rule.purpose ? { purpose: match.rule.purpose } : {}),
      ...(ip ? { ip } : {}),
    } as FanzhaEvent;
    if (this.o.whenFull === 'fail-open' && this.buffer.full) {
      this.stats.dropped++;
      return;
    }
    this.stats.recorded++;
    void this.batcher.add(event);
  }

  /** Sends the buffered events now (also done on a timer while any are buffered). */
  async replay(): Promise<number> {
    const n = await this.buffer.replay(async (events) => {
      await sendEvents(this.transport, events);
      this.stats.sent += events.length;
    }, this.o.maxBatch ?? 500);
    this.stats.replayed += n;
    if (this.buffer.size) this.armReplay();
    return n;
  }

  /** Flush the queue (to fanzha or to disk) and stop the timers. */
  async close(): Promise<void> {
    await this.batcher.close();
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = null;
  }

  /** Flush the in-memory queue (to fanzha or to disk). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private armReplay() {
    if (this.replayTimer) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.replay().catch((e) => this.o.onError?.(e));
    }, this.o.replayIntervalMs ?? 5000);
    this.replayTimer.unref?.();
  }
}
